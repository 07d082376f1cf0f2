import Foundation

/// The program the write-up is printed with when WeasyPrint's Python is
/// known (`PDFEngine.python`): WeasyPrint's own command line, with the
/// same options, so the same PDF, made faster. Its raster images are encoded
/// on every core while WeasyPrint lays out the text, and the image encodings
/// and font subsets of the last print (`PrintParts`) are reused when
/// everything that decides them is the same. Only WeasyPrint versions it was
/// checked against are sped up: with others, it runs the `weasyprint`
/// program itself.
enum PrintDriver {
    /// The program, for `python3 -c SOURCE WEASYPRINT`.
    static let source = #"""
        """Prints FERLab's write-up with WeasyPrint's own command line (the same
        options, so the same PDF), faster: the raster images are encoded on all
        cores while WeasyPrint lays out the text, and the image encodings and font
        subsets of the previous print are reused when their content is the same.
        A WeasyPrint it was not checked against prints by its command line itself,
        the `weasyprint` program given as the one argument.

        Reads from standard input `FERLAB-PRINT 1`, the remembered parts (a count,
        then per part `<key length> <data length>`, the key, the data) and the HTML
        (`<length>`, the bytes); writes `FERLAB-PRINTED 1`, the PDF (`<length>`, the
        bytes) and the parts this print used, framed the same way.
        """
        import hashlib
        import io
        import re
        import subprocess
        import sys
        import threading
        from concurrent.futures import ThreadPoolExecutor

        import weasyprint
        import weasyprint.__main__

        # The WeasyPrint versions whose image and font steps the reuse below was checked against.
        CHECKED_VERSIONS = ("57.",)


        def read_parts(stream):
            parts = {}
            for _ in range(int(stream.readline())):
                key_length, length = (int(field) for field in stream.readline().split())
                key = stream.read(key_length).decode()
                parts[key] = stream.read(length)
            return parts


        def write_parts(stream, parts):
            stream.write(b"%d\n" % len(parts))
            for key in sorted(parts):
                name, data = key.encode(), parts[key]
                stream.write(b"%d %d\n" % (len(name), len(data)))
                stream.write(name)
                stream.write(data)


        class Parts:
            """Encoded images and font subsets by the hash of everything that decides them."""

            def __init__(self, known):
                self.known = dict(known)
                self.used = {}
                self.lock = threading.Lock()
                self.jobs = []

            def get(self, key):
                with self.lock:
                    if key in self.known:
                        return self.known[key]
                    jobs = list(self.jobs)
                # Not known yet: perhaps still being encoded.
                for job in jobs:
                    job.exception()
                with self.lock:
                    return self.known.get(key)

            def has(self, key):
                with self.lock:
                    return key in self.known

            def put(self, key, data):
                with self.lock:
                    self.known[key] = data

            def use(self, key, data):
                with self.lock:
                    self.used[key] = data


        def salt():
            import zlib

            import fontTools
            import PIL
            from PIL import Image

            versions = [weasyprint.__version__, PIL.__version__, fontTools.version, zlib.ZLIB_RUNTIME_VERSION, sys.version]
            versions.append(getattr(Image.core, "zlib_version", ""))
            return "\n".join(versions).encode()


        def image_key(seed, image, optimize):
            """A PNG WeasyPrint decoded from a `data:` URL and left as it was (no EXIF turn) is known by the URL's
            MD5, WeasyPrint's own name for it; any other image by its pixels."""
            from PIL.PngImagePlugin import PngImageFile

            digest = hashlib.sha256(seed)
            digest.update(b"image %s %d %d %d\n" % (image.mode.encode(), image.width, image.height, bool(optimize)))
            if isinstance(image, PngImageFile) and getattr(image, "id", None) and "exif" not in image.info:
                digest.update(b"url " + image.id.encode())
            else:
                digest.update(image.tobytes())
            return "image-" + digest.hexdigest()


        def font_key(seed, font, cmap):
            digest = hashlib.sha256(seed)
            digest.update(b"font %d %s\n" % (font.index, repr(sorted(cmap)).encode()))
            digest.update(font.file_content)
            return "font-" + digest.hexdigest()


        def checked():
            """Whether this WeasyPrint's image and font steps are those the reuse below was checked against."""
            try:
                from weasyprint.pdf.stream import Font, Stream
            except ImportError:
                return False
            return (
                weasyprint.__version__.startswith(CHECKED_VERSIONS)
                and hasattr(Stream, "_get_png_data")
                and hasattr(Font, "clean")
                and hasattr(weasyprint.__main__, "main")
            )


        def reuse(parts):
            """Makes WeasyPrint's image encoding and font subsetting look in `parts` first, and returns what
            `encode_ahead` needs to start encoding the document's PNG images in the background."""
            from weasyprint.pdf.stream import Font, Stream

            seed = salt()
            encode, clean = Stream._get_png_data, Font.clean

            def image_data(self, image, optimize):
                key = image_key(seed, image, optimize)
                data = parts.get(key)
                if data is None:
                    data = encode(self, image, optimize)
                parts.use(key, data)
                return data

            def cleaned(self, cmap):
                if self.ttfont is None or not cmap or "fvar" in self.ttfont or self.png or self.svg:
                    return clean(self, cmap)
                key = font_key(seed, self, cmap)
                data = parts.get(key)
                if data is None:
                    clean(self, cmap)
                    data = self.file_content
                else:
                    self.file_content = data
                parts.use(key, data)
                return None

            Stream._get_png_data = image_data
            Font.clean = cleaned
            count_invalid_characters_faster()
            return ThreadPoolExecutor(), seed, encode


        def count_invalid_characters_faster():
            """html5lib counts the characters HTML does not allow in each chunk of the document (errors WeasyPrint
            ignores) with a pattern slow on long runs of base64; an ASCII chunk's count needs only its control
            characters."""
            from html5lib import _inputstream

            stream = _inputstream.HTMLUnicodeInputStream
            count = getattr(stream, "characterErrorsUCS4", None)
            if count is None:
                return
            controls = re.compile("[\x01-\x08\x0B\x0E-\x1F\x7F]")

            def counted(self, data):
                if not data.isascii():
                    return count(self, data)
                for _ in range(len(controls.findall(data))):
                    self.errors.append("invalid-codepoint")
                return None

            stream.characterErrorsUCS4 = counted


        def encode_ahead(pool, seed, encode, parts, html):
            """Encodes each `data:` PNG of `html` as WeasyPrint will (opaque gray and RGB images, which it embeds
            unconverted), unless it is known."""
            import base64

            from PIL import Image

            def job(text):
                try:
                    image = Image.open(io.BytesIO(base64.b64decode(text)))
                except Exception:
                    return  # WeasyPrint says what is wrong with it
                if image.mode not in ("L", "RGB") or "transparency" in image.info or "exif" in image.info:
                    return
                image.id = hashlib.md5(b"data:image/png;base64," + text).hexdigest()
                key = image_key(seed, image, False)
                if not parts.has(key):
                    try:
                        parts.put(key, encode(None, image, False))
                    except Exception:
                        return

            for match in re.finditer(rb"data:image/png;base64,([A-Za-z0-9+/=]+)", html):
                parts.jobs.append(pool.submit(job, match.group(1)))


        def main():
            source, target = sys.stdin.buffer, sys.stdout.buffer
            if source.readline() != b"FERLAB-PRINT 1\n":
                sys.exit("not a FERLab print job")
            parts = Parts(read_parts(source))
            html = source.read(int(source.readline()))
            if checked():
                encode_ahead(*reuse(parts), parts, html)
                printed = io.BytesIO()
                weasyprint.__main__.main(["--quiet", "-", "-"], stdout=printed, stdin=io.BytesIO(html))
                pdf = printed.getvalue()
            else:
                # WeasyPrint's errors reach FERLab on this program's standard error, its status as this program's.
                run = subprocess.run([sys.argv[1], "--quiet", "-", "-"], input=html, stdout=subprocess.PIPE)
                if run.returncode != 0:
                    sys.exit(run.returncode)
                pdf = run.stdout
            target.write(b"FERLAB-PRINTED 1\n%d\n" % len(pdf))
            target.write(pdf)
            write_parts(target, parts.used)
            target.flush()


        main()
        """#

    /// The driver's standard input: a header, the parts known from the last print, and the document.
    static func request(html: String, parts: PrintParts) -> [UInt8] {
        var bytes = Array("FERLAB-PRINT 1\n".utf8)
        append(parts, to: &bytes)
        let document = Array(html.utf8)
        bytes += Array("\(document.count)\n".utf8)
        bytes += document
        return bytes
    }

    /// The PDF and the parts it used, from the driver's standard output.
    /// - Throws: `PDFEngine.Failure` when the output is not framed as the driver frames it.
    static func reply(_ output: [UInt8]) throws -> (pdf: [UInt8], parts: PrintParts) {
        var reader = FramedReader(bytes: output)
        guard reader.line() == "FERLAB-PRINTED 1", let length = reader.line().flatMap({ Int($0) }),
            let pdf = reader.take(length), let count = reader.line().flatMap({ Int($0) }), count >= 0
        else { throw PDFEngine.Failure(message: "the print driver's output was not a framed PDF") }
        var parts = PrintParts()
        for _ in 0..<count {
            guard let sizes = reader.line()?.split(separator: " ").compactMap({ Int($0) }), sizes.count == 2,
                let key = reader.take(sizes[0]), let data = reader.take(sizes[1])
            else { throw PDFEngine.Failure(message: "the print driver's parts were not framed") }
            parts.entries[String(decoding: key, as: UTF8.self)] = data
        }
        guard reader.isAtEnd else { throw PDFEngine.Failure(message: "the print driver wrote more than its reply") }
        return (pdf, parts)
    }

    /// `parts` framed: their count, then each part's key and data lengths on a line, its key and its data.
    private static func append(_ parts: PrintParts, to bytes: inout [UInt8]) {
        bytes += Array("\(parts.entries.count)\n".utf8)
        for (key, data) in parts.entries.sorted(by: { $0.key < $1.key }) {
            let name = Array(key.utf8)
            bytes += Array("\(name.count) \(data.count)\n".utf8)
            bytes += name
            bytes += data
        }
    }

    /// Reads lines and counted runs of bytes.
    private struct FramedReader {
        let bytes: [UInt8]
        var offset = 0

        var isAtEnd: Bool { offset == bytes.count }

        /// The text up to the next newline (which is passed), if there is one.
        mutating func line() -> String? {
            guard let end = bytes[offset...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            defer { offset = end + 1 }
            return String(decoding: bytes[offset..<end], as: UTF8.self)
        }

        /// The next `count` bytes, if there are that many.
        mutating func take(_ count: Int) -> [UInt8]? {
            guard count >= 0, count <= bytes.count - offset else { return nil }
            defer { offset += count }
            return Array(bytes[offset..<(offset + count)])
        }
    }
}

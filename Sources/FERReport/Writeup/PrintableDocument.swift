import Foundation

/// A page of the site made into one document for the PDF engine: the
/// stylesheet inside it, every image a `data:` URL, and the links around
/// figures (which open them full size on the site) taken off, and each figure
/// or table kept with its caption in a `<figure>` the page does not break.
/// Cairo writes
/// an SVG figure's text as glyph `<symbol>`s, which WeasyPrint 57 does not
/// draw; they become plain groups, which it does, so text stays vector too.
enum PrintableDocument {
    /// `html` with `stylesheet` inlined and the images it shows from `files` (by path in the site) embedded.
    static func html(_ html: String, stylesheet: [UInt8], files: [String: [UInt8]]) -> String {
        var document = html.replacingOccurrences(
            of: #"<link rel="stylesheet" href="style.css"/>"#,
            with: "<style>\n\(String(decoding: stylesheet, as: UTF8.self))</style>")
        for match in html.matches(of: #/<a href="([^"]+)">(<img src="([^"]+)"[^>]*>)</a>/#) where match.1 == match.3 {
            document = document.replacingOccurrences(of: String(match.0), with: String(match.2))
        }
        document = document.replacing(#/<p>(<img [^>]*>)</p><p><em>(Figure [^<]*)</em></p>/#) { match in
            "<figure>\(match.1)<figcaption><em>\(match.2)</em></figcaption></figure>"
        }
        document = document.replacing(#/(<table>(?:(?!</table>).)*</table>)<p><em>(Table [^<]*)</em></p>/#) { match in
            "<figure class=\"table\">\(match.1)<figcaption><em>\(match.2)</em></figcaption></figure>"
        }
        // The images go in last, in one pass: the document is small until then.
        return document.replacing(#/<img src="([^"]+)"/#) { match in
            let name = String(match.1)
            guard var bytes = files[name] else { return String(match.0) }
            let svg = name.hasSuffix(".svg")
            if svg { bytes = glyphsAsGroups(bytes) }
            let type = svg ? "image/svg+xml" : "image/png"
            return "<img src=\"data:\(type);base64,\(Data(bytes).base64EncodedString())\""
        }
    }

    /// `svg` with each `<symbol overflow="visible" id="...">` a `<g id="...">`.
    static func glyphsAsGroups(_ svg: [UInt8]) -> [UInt8] {
        Array(
            String(decoding: svg, as: UTF8.self)
                .replacingOccurrences(of: "<symbol overflow=\"visible\" id=", with: "<g id=")
                .replacingOccurrences(of: "</symbol>", with: "</g>").utf8)
    }
}

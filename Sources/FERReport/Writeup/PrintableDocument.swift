import Foundation

/// A page of the site made into one document for the PDF engine: the
/// stylesheet inside it, every image a `data:` URL, and the links around
/// figures (which open them full size on the site) taken off.
enum PrintableDocument {
    /// `html` with `stylesheet` inlined and the images it shows from `files` (by path in the site) embedded.
    static func html(_ html: String, stylesheet: [UInt8], files: [String: [UInt8]]) -> String {
        var document = html.replacingOccurrences(
            of: #"<link rel="stylesheet" href="style.css"/>"#,
            with: "<style>\n\(String(decoding: stylesheet, as: UTF8.self))</style>")
        for match in html.matches(of: #/<a href="([^"]+)">(<img src="([^"]+)"[^>]*>)</a>/#) where match.1 == match.3 {
            document = document.replacingOccurrences(of: String(match.0), with: String(match.2))
        }
        for match in html.matches(of: #/<img src="([^"]+)"/#) {
            let name = String(match.1)
            guard let bytes = files[name] else { continue }
            let type = name.hasSuffix(".svg") ? "image/svg+xml" : "image/png"
            document = document.replacingOccurrences(
                of: "<img src=\"\(name)\"",
                with: "<img src=\"data:\(type);base64,\(Data(bytes).base64EncodedString())\"")
        }
        return document
    }
}

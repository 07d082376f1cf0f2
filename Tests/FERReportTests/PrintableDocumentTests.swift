import Foundation
import Testing

@testable import FERReport

/// What the PDF engine is given: one document, nothing to fetch, no file path in it.
@Suite struct PrintableDocumentTests {
    @Test func figuresAreEmbeddedTheirLinksRemovedAndTheStylesheetInlined() throws {
        let svg = Array(
            ##"<svg><defs><g><symbol overflow="visible" id="glyph0-1"><path d="M 0 0"/></symbol></g></defs><use xlink:href="#glyph0-1"/></svg>"##
                .utf8)
        let html =
            #"<link rel="stylesheet" href="style.css"/><a href="figures/a.png"><img src="figures/a.png" width="10" height="5" alt="A"/></a><p><a href="features.html">features</a></p><img src="figures/b.svg" alt="B"/>"#
        let document = PrintableDocument.html(
            html, stylesheet: Array("p { color: red; }".utf8),
            files: ["figures/a.png": [1, 2, 3], "figures/b.svg": svg])
        #expect(document.hasPrefix("<style>\np { color: red; }</style>"))
        #expect(document.contains(#"<img src="data:image/png;base64,AQID" width="10" height="5" alt="A"/><p>"#))
        #expect(!document.contains(#"href="figures/"#) && document.contains(#"<a href="features.html">"#))
        let embedded = try #require(document.firstMatch(of: #/data:image/svg\+xml;base64,([^"]+)"/#))
        let text = String(decoding: try #require(Data(base64Encoded: String(embedded.1))), as: UTF8.self)
        #expect(text.contains(#"<g id="glyph0-1"><path d="M 0 0"/></g>"#) && !text.contains("symbol"))
    }

    @Test func figuresAndTablesStayWithTheirCaptions() {
        let html =
            #"<p><a href="figures/a.png"><img src="figures/a.png" alt="A"/></a></p><p><em>Figure 1. A chart.</em></p><table><tr><td>1</td></tr></table><p><em>Table 1. Numbers.</em></p>"#
        let document = PrintableDocument.html(html, stylesheet: [], files: ["figures/a.png": [0]])
        #expect(
            document.contains(
                #"<figure><img src="data:image/png;base64,AA==" alt="A"/><figcaption><em>Figure 1. A chart.</em></figcaption></figure>"#
            ))
        #expect(
            document.contains(
                #"<figure class="table"><table><tr><td>1</td></tr></table><figcaption><em>Table 1. Numbers.</em></figcaption></figure>"#
            ))
    }
}

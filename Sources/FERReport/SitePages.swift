/// The pages of a report site, in navigation order.
package enum SitePages {
    /// One page.
    package struct Page: Sendable {
        /// The key templates use for its link (`{{links.first_model}}`).
        package let key: String
        /// File name without extension.
        package let file: String
        /// Title in the navigation and the browser tab.
        package let title: String
    }

    /// Every Markdown page; the run log is last.
    package static let all: [Page] = ReportPages.all.map { $0.page } + [runLog]

    /// The pages in the navigation: the milestones, the write-up, the explorer, the run log.
    package static let navigation: [Page] = ReportPages.all.map { $0.page } + [writeup, explorer, runLog]

    /// The write-up: the whole experiment as one document (`writeup.md.mustache`), also as `writeup.pdf`.
    package static let writeup = Page(key: "writeup", file: "writeup", title: "Write-up")

    /// The explorer, an HTML page only (`explore.html.mustache`).
    package static let explorer = Page(key: "explorer", file: "explore", title: "Explorer")

    /// The run log page, which is rebuilt on every run and never cached.
    static let runLog = Page(key: "run_log", file: "run-log", title: "Run log")
}

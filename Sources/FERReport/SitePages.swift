/// The pages of a report site, in navigation order.
public enum SitePages {
    /// One page.
    public struct Page: Sendable {
        /// The key templates use for its link (`{{links.first_model}}`).
        public let key: String
        /// File name without extension.
        public let file: String
        /// Title in the navigation and the browser tab.
        public let title: String
    }

    /// Every page; the run log is last.
    public static let all: [Page] = [
        Page(key: "index", file: "index", title: "Overview"),
        Page(key: "exploration", file: "exploration", title: "Data exploration"),
        Page(key: "preprocessing", file: "preprocessing", title: "Preprocessing"),
        Page(key: "first_model", file: "first-model", title: "First model"),
        Page(key: "final_model", file: "final-model", title: "Final model"),
        Page(key: "features", file: "features", title: "Features"),
        Page(key: "second_model", file: "second-model", title: "Second model"),
        Page(key: "conclusions", file: "conclusions", title: "Error analysis and conclusions"),
        Page(key: "run_log", file: "run-log", title: "Run log"),
    ]

    /// The run log page, which is rebuilt on every run and never cached.
    static var runLog: Page { all[all.count - 1] }
}

/// The overview (`index`): what was run and what the numbers say.
enum OverviewSection: ReportSection {
    static let page = SitePages.Page(key: "index", file: "index", title: "Overview")

    static func values(_ run: SectionInput) -> [String: Any] {
        ["experiment": run.results.experiment]
    }
}

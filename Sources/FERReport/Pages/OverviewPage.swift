/// The overview (`index`): what was run and what the numbers say.
enum OverviewPage: ReportPage {
    static let page = SitePages.Page(key: "index", file: "index", title: "Overview")

    static func results(_ run: SectionInput) -> [String: any Encodable & Sendable] {
        ["experiment": run.results.experiment]
    }

    static func values(_ run: SectionInput) -> [String: Any] {
        ["experiment": run.results.experiment]
    }
}

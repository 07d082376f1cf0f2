import FERExperiment

/// One page of the report: the figures it shows, the values its template
/// reads and its part of `results.json`. Adding a page is one type conforming
/// to this, listed in `ReportPages.all`, and its template
/// `Templates/<file>.md.mustache`.
protocol ReportPage: SendableMetatype {
    /// The page's link key, file name and title.
    static var page: SitePages.Page { get }
    /// Declares the page's figures, in the order the page shows them.
    static func declareFigures(into figures: FigureList)
    /// The values the page adds to the template context. Every page sees every
    /// page's values, so the overview can quote the conclusions.
    static func values(_ run: SectionInput) -> [String: Any]
    /// The page's part of `results.json`: top-level keys and their values. No two pages share a key.
    static func results(_ run: SectionInput) -> [String: any Encodable & Sendable]
}

extension ReportPage {
    static func declareFigures(into figures: FigureList) {}
    static func results(_ run: SectionInput) -> [String: any Encodable & Sendable] { [:] }
}

/// What a section's values are made from: the run's results and its config.
struct SectionInput {
    let results: ExperimentResults
    let config: ExperimentConfig

    /// The final model's results.
    var final: ExperimentResults.ModelResults? {
        results.models.first { $0.name == results.finalModel }
    }
}

/// The report's pages, in navigation order.
package enum ReportPages {
    /// Every page but the run log.
    static let all: [any ReportPage.Type] = [
        OverviewPage.self, ExplorationPage.self, PreprocessingPage.self, FirstModelPage.self,
        FinalModelPage.self, FeaturesPage.self, SecondModelPage.self, ConclusionsPage.self,
    ]

    /// Every figure of `experiment`'s report, in page order (so figure numbers run down the site).
    package static func figures(of experiment: Experiment) -> [FigureStage] {
        let list = FigureList(experiment: experiment)
        for section in all {
            list.page = section.page.key
            section.declareFigures(into: list)
        }
        return list.figures
    }

    /// `results.json`: every page's part, under its keys.
    static func results(_ run: SectionInput) -> ResultsDocument {
        ResultsDocument(
            parts: all.reduce(into: [:]) { parts, section in
                parts.merge(section.results(run)) { first, _ in first }
            })
    }

    /// Every page's template values, merged.
    static func values(_ run: SectionInput) -> [String: Any] {
        all.reduce(into: [:]) { values, section in
            values.merge(section.values(run)) { first, _ in first }
        }
    }
}

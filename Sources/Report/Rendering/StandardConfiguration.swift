import Foundation
import NGD
import Render

extension ReportConfiguration {
    /// The engine, renderer and PDF writer behind `ngd report`, `ngd paper` and `ngd verify` — NGD's trainer,
    /// Render's figures and documents in the paper theme — with the BLAS and graphics facts that go into
    /// provenance.
    public static func standard() -> ReportConfiguration {
        let blas = BLASInfo.current
        let theme = Theme.paper
        return ReportConfiguration(
            executor: NGDRunExecutor(), renderer: CairoFigureRenderer(theme: theme),
            pdfWriter: CairoReportPDFWriter(theme: theme),
            compute: ComputeEnvironment(blasLibrary: blas.library, blasCoreName: blas.provenanceCoreName,
                                        blasThreads: blas.threads),
            graphics: GraphicsEnvironment(cairoVersion: FontCatalog.cairoVersion,
                                          pangoVersion: FontCatalog.pangoVersion,
                                          fontFiles: FontCatalog.files(forFamilies: theme.fontFamily)))
    }
}

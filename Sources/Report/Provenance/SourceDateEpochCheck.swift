import NGD
import Render

extension ReportConfiguration {
    /// Refuses a malformed SOURCE_DATE_EPOCH before anything is built: the manifest records the variable and the
    /// PDFs carry its date, so a value that cannot be read must not be recorded as if it had been used.
    func requireValidSourceDateEpoch() throws {
        do {
            _ = try SourceDateEpoch.seconds(in: environment)
        } catch {
            throw NGDError(SourceDateEpoch.variable, error.description, usage: true)
        }
    }
}

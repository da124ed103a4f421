import Foundation
import NGD
import Render

/// Report's errors in the command line's shape (`NGDError`, printed as `ngd: <source>: <message>`).
public enum CommandErrors {
    /// Runs `body`, turning spec problems and refused output locations into usage errors (exit 2; spec problems
    /// located at file:line:column) and other report or figure failures into runtime errors (exit 1).
    /// `ReportError.interrupted` passes through: the command exits 130 with the cache consistent.
    public static func translating<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SpecError {
            throw error.ngdError
        } catch let errors as SpecErrors {
            throw errors.ngdError
        } catch ReportError.interrupted {
            throw ReportError.interrupted
        } catch let refusal as OutputRefusal {
            throw NGDError(refusal.path, refusal.reason, usage: true)
        } catch let error as ReportError {
            throw NGDError("", error.description)
        } catch let error as FigureError {
            throw NGDError("", error.description)
        }
    }
}

import ArgumentParser
import Render

// Render's choices read from the command line (ArgumentParser is a dependency of this target only).

extension FigureSizeChoice: ExpressibleByArgument {
    public init?(argument: String) {
        guard let choice = try? FigureSizeChoice(parsing: argument) else { return nil }
        self = choice
    }

    public static var allValueStrings: [String] { FigureSizePreset.allCases.map(\.name) + ["WxH"] }
}

extension Theme.Name: ExpressibleByArgument {}

import NGD
import Testing
@testable import Report

@Suite struct SpecParsingTests {
    /// Parses `yaml`, expecting exactly one located error; returns it.
    private func error(in yaml: String) throws -> SpecError {
        do {
            _ = try ExperimentSpec.parse(yaml: yaml, file: "spec.yaml")
        } catch let error as SpecError {
            return error
        } catch let errors as SpecErrors {
            return try #require(errors.errors.first)
        }
        Issue.record("expected a spec error")
        throw SpecError(file: "", line: 0, column: 0, path: "", message: "no error")
    }

    private let base = """
    title: t
    datasets:
      data: {kind: synthetic, n: 4, d: 2}
    models:
      net: {width: 16}
    optimizers:
      fast: {kind: ngd, lr: 0.5}

    """

    @Test func validSampleSpecParsesWithEverySection() throws {
        let spec = try ExperimentSpec.parse(yaml: sampleSpec)
        #expect(spec.title == "NGD versus GD on the unit sphere")
        #expect(spec.datasets["duplicates"]?.epsilon == 0.1)
        #expect(spec.optimizers["gd"]?.lr == .inverseLambdaMax(scale: 1))
        #expect(spec.optimizers["ngd"]?.lr == .fixed(0.5))
        #expect(spec.sweeps?.first?.over["width"] == [.number(64), .number(256), .number(1024)])
        #expect(spec.figures?.map(\.kind) == [.convergence, .widthSweep, .spectrum])
        #expect(spec.claims?.map(\.compare) == [.atMost, .approximately, .atMost])
    }

    @Test func badYAMLSyntaxGivesTheParserLineOnOneLine() throws {
        let error = try error(in: "title: t\ndatasets: {a: [1, 2}\n")
        #expect(error.line == 2)
        #expect(error.description.hasPrefix("spec.yaml:2:"))
        #expect(!error.description.contains("\n"))
    }

    @Test func unknownTopLevelKeyIsLocated() throws {
        let error = try error(in: base + "colour: blue\n")
        #expect(error.description == "spec.yaml:8:1: colour: unknown key \"colour\"")
    }

    @Test func unknownNestedKeyNamesItsPath() throws {
        let error = try error(in: base.replacingOccurrences(of: "{width: 16}", with: "{width: 16, layers: 3}"))
        #expect(error.path == "models.net.layers")
        #expect(error.line == 5)
        #expect(error.column == 20)
    }

    @Test func unknownKeyInsideAListElementNamesTheIndex() throws {
        let yaml = base + """
        runs:
          - {id: a, dataset: data, model: net, optimizer: fast, steps: 3}
          - id: b
            dataset: data
            model: net
            optimizer: fast
            steps: 3
            epochs: 4
        """
        let error = try error(in: yaml)
        #expect(error.path == "runs[1].epochs")
        #expect(error.location == "spec.yaml:15:5")
    }

    @Test func wrongLearningRateTypeSaysWhatWasExpected() throws {
        let error = try error(in: base.replacingOccurrences(of: "lr: 0.5", with: "lr: fast"))
        #expect(error.description == "spec.yaml:7:25: optimizers.fast.lr: expected a number or \"1/lambda_max\", got \"fast\"")
    }

    @Test func quotedNumberIsNotAnInteger() throws {
        let error = try error(in: base.replacingOccurrences(of: "{width: 16}", with: "{width: \"16\"}"))
        #expect(error.path == "models.net.width")
        #expect(error.message == "expected an integer, got \"16\"")
    }

    @Test func unknownEnumValueListsTheValidOnes() throws {
        let error = try error(in: base.replacingOccurrences(of: "kind: ngd", with: "kind: adam"))
        #expect(error.path == "optimizers.fast.kind")
        #expect(error.message == "expected one of gd, ngd, kfac, got \"adam\"")
    }

    @Test func outOfRangeValuesAreLocated() throws {
        let yaml = base.replacingOccurrences(of: "{width: 16}", with: "{width: 0}")
            .replacingOccurrences(of: "lr: 0.5", with: "lr: -1") + """
        runs:
          - {id: a, dataset: data, model: net, optimizer: fast, steps: -2}
        """
        do {
            _ = try ExperimentSpec.parse(yaml: yaml)
            Issue.record("expected errors")
        } catch let errors as SpecErrors {
            #expect(errors.errors.map(\.path) == ["models.net.width", "optimizers.fast.lr", "runs[0].steps"])
            #expect(errors.errors.map(\.line) == [5, 7, 9])
            #expect(errors.errors[0].message == "expected a positive width, got 0")
        }
    }

    @Test func danglingReferencesAreLocatedAndListTheKnownNames() throws {
        let yaml = base + """
        runs:
          - {id: a, dataset: data, model: nett, optimizer: fast, steps: 3}
        claims:
          - {id: c, statement: s, measured: "last(b.loss)", predicted: 0, compare: "<="}
        """
        do {
            _ = try ExperimentSpec.parse(yaml: yaml)
            Issue.record("expected errors")
        } catch let errors as SpecErrors {
            #expect(errors.errors.count == 2)
            #expect(errors.errors[0].description == "spec.yaml:9:35: runs[0].model: no model named \"nett\"; defined: net")
            #expect(errors.errors[1].path == "claims[0].measured")
            #expect(errors.errors[1].message.contains("no run or sweep named \"b\""))
        }
    }

    @Test func unknownSweepParameterPointsAtTheKey() throws {
        let yaml = base + """
        sweeps:
          - id: s
            dataset: data
            model: net
            optimizer: fast
            steps: 3
            over:
              width: [8, 16]
              momentum: [0.9]
        """
        let error = try error(in: yaml)
        #expect(error.path == "sweeps[0].over.momentum")
        #expect(error.line == 16)
        #expect(error.column == 7)
    }

    @Test func malformedClaimExpressionIsReportedWithItsPosition() throws {
        let yaml = base + """
        runs:
          - {id: a, dataset: data, model: net, optimizer: fast, steps: 3}
        claims:
          - {id: c, statement: s, measured: "last(a.loss", predicted: 0, compare: "<="}
        """
        let error = try error(in: yaml)
        #expect(error.path == "claims[0].measured")
        #expect(error.message.contains("unexpected end of expression"))
    }

    @Test func ngdErrorCarriesTheLocationForTheCLI() throws {
        let error = try error(in: base + "colour: blue\n")
        #expect(error.ngdError.description == "spec.yaml:8:1: colour: unknown key \"colour\"")
        #expect(error.ngdError.isUsageError)
    }
}

@Suite struct SpecEdgeCaseTests {
    private let sections = "datasets: {}\nmodels:\n  base: &b {width: 4, init_scale: 2}\n"

    @Test func mergeKeysShareSettingsAndExplicitKeysWin() throws {
        let spec = try ExperimentSpec.parse(yaml: "title: t\n" + sections + "  other: {<<: *b, width: 8}\noptimizers: {}\n")
        #expect(spec.models["other"] == ModelSpec(width: 8, initScale: 2))
    }

    @Test func anUnknownKeyInsideAMergedMappingIsStillRejected() throws {
        let yaml = "title: t\ndatasets: {}\nmodels:\n  base: &b {width: 4, layers: 2}\n  other: {<<: *b}\noptimizers: {}\n"
        #expect(throws: SpecError.self) { try ExperimentSpec.parse(yaml: yaml) }
    }

    @Test func duplicateKeysAreErrors() throws {
        #expect(throws: SpecError.self) {
            try ExperimentSpec.parse(yaml: "title: t\ntitle: u\ndatasets: {}\nmodels: {}\noptimizers: {}\n")
        }
    }

    @Test func emptyAndNonMappingDocumentsAreErrors() throws {
        #expect(throws: SpecError(file: "spec.yaml", line: 1, column: 1, path: "", message: "the spec is empty")) {
            try ExperimentSpec.parse(yaml: "")
        }
        #expect(throws: SpecError(file: "spec.yaml", line: 1, column: 1, path: "", message: "expected a mapping, got a list")) {
            try ExperimentSpec.parse(yaml: "- a\n")
        }
    }

    @Test func negativeAndFractionalSeedsAreRejected() throws {
        for (value, message) in [("-1", "expected an integer in the range 0…18446744073709551615, got \"-1\""),
                                 ("1.5", "expected an integer, got \"1.5\"")] {
            #expect(throws: SpecError(file: "spec.yaml", line: 5, column: 7, path: "seed", message: message)) {
                try ExperimentSpec.parse(yaml: "title: t\ndatasets: {}\nmodels: {}\noptimizers: {}\nseed: \(value)\n")
            }
        }
    }
}

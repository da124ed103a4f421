import Foundation
import Testing
@testable import NGD

/// The memory estimate and the caps: numbers, messages, overflow, and where the budget comes from.
@Suite struct ResourceLimitsTests {
    private let budget = ResourceLimits(memoryBytes: 24_000_000_000, memorySource: "this machine has 24 GB")

    private func refusal(_ shape: ResourceLimits.RunShape, within limits: ResourceLimits? = nil) -> NGDError? {
        do {
            try (limits ?? budget).check(shape)
            return nil
        } catch {
            return error as? NGDError
        }
    }

    @Test func gramMatrixOfOneHundredThousandExamplesIsEightyGigabytes() throws {
        let parts = try ResourceLimits.parts(of: .init(examples: 100_000, dimension: 16, outputs: 1, width: 64, steps: 10))
        let gram = try #require(parts.first { $0.what.hasPrefix("Gram matrix") })
        #expect(gram.bytesEach == 80_000_000_000)
        #expect(gram.bytes == 9 * 80_000_000_000)
        let error = refusal(.init(examples: 100_000, dimension: 16, outputs: 1, width: 64, steps: 10))
        #expect(error?.source == "--n")
        #expect(error?.isUsageError == true)
        #expect(error?.message.hasPrefix("100000 examples need an 80 GB Gram matrix (nk × nk doubles), ") == true)
        #expect(error?.message.hasSuffix("; this machine has 24 GB") == true)
    }

    @Test func outputsMultiplyTheGram() throws {
        let parts = try ResourceLimits.parts(of: .init(examples: 1000, dimension: 16, outputs: 10, width: 64, steps: 0))
        #expect(parts.first { $0.what.hasPrefix("Gram matrix") }?.bytesEach == 10_000 * 10_000 * 8)
    }

    @Test func weightsBlameTheWidthAndHistoryTheSteps() throws {
        let wide = refusal(.init(examples: 64, dimension: 784, outputs: 1, width: 100_000_000, steps: 10))
        #expect(wide?.source == "--width")
        #expect(wide?.message.hasPrefix("100000000 hidden units need a 627 GB weight matrix") == true)
        var recorded = ResourceLimits.RunShape(examples: 10_000, dimension: 16, outputs: 10, width: 16, steps: 1_000_000)
        recorded.recordsOutputs = true
        let history = refusal(recorded)
        #expect(history?.source == "--steps")
    }

    @Test func sizesBeyondSixtyFourBitsAreRefusedNotTrapped() {
        let error = refusal(.init(examples: 1 << 40, dimension: 1, outputs: 1 << 20, width: 1, steps: 0))
        #expect(error?.source == "--n")
        #expect(error?.message.contains("more memory than a 64-bit size can count") == true)
    }

    @Test func smallRunsFit() throws {
        try budget.check(.init(examples: 64, dimension: 16, outputs: 1, width: 16_384, steps: 1000))
        try ResourceLimits(memoryBytes: 2_000_000_000, memorySource: "x")
            .check(.init(examples: 2000, dimension: 784, outputs: 2, width: 4096, steps: 100))
    }

    @Test func theBudgetComesFromTheEnvironmentOrTheMachine() throws {
        let set = try ResourceLimits.current(environment: ["NGD_MEMORY_LIMIT": "2GB"])
        #expect(set == ResourceLimits(memoryBytes: 2_000_000_000, memorySource: "NGD_MEMORY_LIMIT is 2 GB"))
        #expect(try ResourceLimits.current(environment: ["NGD_MEMORY_LIMIT": "512MiB"]).memoryBytes == 536_870_912)
        #expect(try ResourceLimits.current(environment: ["NGD_MEMORY_LIMIT": "1.5 G"]).memoryBytes == 1_500_000_000)
        #expect(try ResourceLimits.current(environment: ["NGD_MEMORY_LIMIT": "4096"]).memoryBytes == 4096)
        let machine = try ResourceLimits.current(environment: [:])
        #expect(machine.memoryBytes > 0 && machine.memorySource.hasPrefix("this machine has "))
        for bad in ["abc", "", "-1GB", "0", "1e30", "5 parsecs"] {
            #expect(throws: NGDError.self) { try ResourceLimits.current(environment: ["NGD_MEMORY_LIMIT": bad]) }
        }
    }

    @Test func byteCountsAreWrittenInDecimalUnits() {
        #expect(ResourceLimits.formatBytes(80_000_000_000) == "80 GB")
        #expect(ResourceLimits.formatBytes(320_000_000_000) == "320 GB")
        #expect(ResourceLimits.formatBytes(25_275_000_000) == "25.3 GB")
        #expect(ResourceLimits.formatBytes(1_536) == "1.54 KB")
        #expect(ResourceLimits.formatBytes(512) == "512 B")
    }

    @Test func countsAboveTheirCapsNameTheOption() {
        let error = NGDErrorCatcher.error { try TrainingConfig(width: Int.max).validate() }
        #expect(error == NGDError("--width", "\(Int.max) is above the limit of 1000000000 hidden units (see Limits in the README)",
                                  usage: true))
        #expect(NGDErrorCatcher.error { try TrainingConfig(steps: 1_000_001).validate() }?.source == "--steps")
        let pairs = DatasetRequest(kind: .lambda0, count: 10, epsilon: 0.1, pairs: Int.max)
        #expect(NGDErrorCatcher.error { try pairs.checkCounts() }?.source == "--pairs")
    }

    @Test func aRequestIsRefusedBeforeItsDataIsGenerated() {
        let request = DatasetRequest(kind: .synthetic, count: 1_000_000, dimension: 16)
        let error = NGDErrorCatcher.error {
            _ = try request.load(for: TrainingConfig(width: 16), limits: budget)
        }
        #expect(error?.source == "--n")
        #expect(error?.message.hasPrefix("1000000 examples need an 8 TB Gram matrix") == true)
    }
}

enum NGDErrorCatcher {
    static func error(_ body: () throws -> Void) -> NGDError? {
        do {
            try body()
            return nil
        } catch {
            return error as? NGDError
        }
    }
}

import Foundation
import Testing
import NGD

/// `ngd bench` times `StructuredStepper`; these pin its one step to the trainer's first step on the same
/// state, so a speed-up cannot silently change what is computed.
@Suite struct BenchStepTests {
    /// n < d (Z kept through XXᵀ) and n > d (Z recomputed in blocks; width not a multiple of 64).
    static let shapes: [(n: Int, d: Int, m: Int)] = [(12, 20, 256), (30, 5, 200)]

    @Test(arguments: OptimizerKind.allCases, [0, 1])
    func oneBenchStepEqualsTheTrainersFirstStep(optimizer: OptimizerKind, shape index: Int) throws {
        let (n, d, m) = Self.shapes[index]
        let data = Dataset.synthetic(count: n, dimension: d, seed: 3)
        let config = TrainingConfig(width: m, seed: 7, optimizer: optimizer, learningRate: 0.5, steps: 1, recordWeights: true)
        let run = try Trainer(config: config, dataset: data).run()
        let theta = config.model(inputDimension: d).initialParameters(initScale: config.initScale, seed: config.seed)
        let (loss, parameters) = try Benchmark.lossAfterOneStep(optimizer, dataset: data, parameters: theta,
                                                                learningRate: 0.5)
        let trained = try #require(run.summary.finalParameters)
        let scale = trained.hiddenWeights.storage.map(abs).max() ?? 1
        let difference = zip(parameters.hiddenWeights.storage, trained.hiddenWeights.storage).map { abs($0 - $1) }.max() ?? 0
        #expect(difference <= 1e-13 * scale, "max |ΔW| = \(difference)")
        #expect(abs(loss - run.steps[1].loss) <= 1e-12 * abs(run.steps[1].loss), "\(loss) vs \(run.steps[1].loss)")
        #expect(parameters.outputWeights == trained.outputWeights)
    }

    @Test func benchLossBeforeTheStepIsTheTrainersInitialLoss() throws {
        let data = Dataset.synthetic(count: 9, dimension: 6, seed: 2)
        let config = TrainingConfig(width: 100, seed: 1, steps: 0)
        let run = try Trainer(config: config, dataset: data).run()
        let theta = config.model(inputDimension: 6).initialParameters(initScale: 1, seed: 1)
        var stepper = try StructuredStepper(inputs: data.inputs, targets: data.targets, parameters: theta)
        #expect(abs(stepper.loss() - run.steps[0].loss) <= 1e-13 * run.steps[0].loss)
        let report = try stepper.step(.ngd, learningRate: 0.5)
        #expect(abs(report.lossBefore - run.steps[0].loss) <= 1e-13 * run.steps[0].loss)
    }

    @Test func stepperGramIsTheEnginesGram() throws {
        let data = Dataset.synthetic(count: 10, dimension: 4, seed: 5)
        let model = TwoLayerReLU(inputDimension: 4, width: 150)
        let theta = model.initialParameters(initScale: 1, seed: 2)
        var stepper = try StructuredStepper(inputs: data.inputs, targets: data.targets, parameters: theta)
        let engine = model.jacobian(on: data.inputs, parameters: theta).gram(inputGram: data.inputs.gram())
        #expect(stepper.gram() == engine)
    }

    @Test func stepperRejectsWhatOnlyTheTrainerHandles() throws {
        let data = Dataset.synthetic(count: 6, dimension: 3, outputs: 2, seed: 1)
        let two = TwoLayerReLU(inputDimension: 3, width: 20, outputs: 2).initialParameters(initScale: 1, seed: 0)
        #expect(throws: NGDError.self) {
            _ = try StructuredStepper(inputs: data.inputs, targets: data.targets, parameters: two)
        }
        let single = Dataset.synthetic(count: 6, dimension: 3, seed: 1)
        var theta = TwoLayerReLU(inputDimension: 3, width: 20).initialParameters(initScale: 1, seed: 0)
        theta.outputWeights[0, 0] = 0.5
        #expect(throws: NGDError.self) {
            _ = try StructuredStepper(inputs: single.inputs, targets: single.targets, parameters: theta)
        }
        theta.outputWeights[0, 0] = 1
        var stepper = try StructuredStepper(inputs: single.inputs, targets: single.targets, parameters: theta)
        #expect(throws: NGDError.self) { try stepper.step(.kfac, learningRate: 0.5, damping: 1e-3) }
    }
}

@Suite struct BenchSupportTests {
    @Test func sizesParseAndBadSizesNameTheOption() throws {
        #expect(try BenchmarkSize.parseList("256,784,4096; 2048,64,16384") ==
                [BenchmarkSize(n: 256, d: 784, m: 4096), BenchmarkSize(n: 2048, d: 64, m: 16384)])
        for bad in ["", "1,2", "1,2,0", "a,b,c", "1,2,3,4"] {
            #expect(throws: NGDError.self) {
                _ = try BenchmarkSize.parseList(bad)
            }
        }
        let error = #expect(throws: NGDError.self) { _ = try BenchmarkSize.parseList("1,2") }
        #expect(error?.source == "--sizes" && error?.isUsageError == true)
    }

    @Test func genericKernelsOnAnAVX2CPUAreFlaggedWithTheFix() {
        let intel = CPUDescription(model: "Xeon", vendor: "GenuineIntel", flags: ["sse2", "avx2"], logicalCPUs: 2)
        let amd = CPUDescription(model: "EPYC", vendor: "AuthenticAMD", flags: ["avx2"], logicalCPUs: 2)
        let avx512 = CPUDescription(model: "Xeon", vendor: "GenuineIntel", flags: ["avx2", "avx512f"], logicalCPUs: 2)
        let old = CPUDescription(model: "Core 2", vendor: "GenuineIntel", flags: ["sse2", "ssse3"], logicalCPUs: 2)
        #expect(BLASInfo.genericKernelWarning(coreName: "Prescott", cpu: intel)?.contains("OPENBLAS_CORETYPE=Haswell") == true)
        #expect(BLASInfo.genericKernelWarning(coreName: "Core2", cpu: amd)?.contains("OPENBLAS_CORETYPE=Zen") == true)
        #expect(BLASInfo.genericKernelWarning(coreName: "Prescott", cpu: avx512)?.contains("OPENBLAS_CORETYPE=SkylakeX") == true)
        #expect(BLASInfo.genericKernelWarning(coreName: "Prescott", cpu: old) == nil)
        #expect(BLASInfo.genericKernelWarning(coreName: "Zen", cpu: amd) == nil)
        #expect(BLASInfo.genericKernelWarning(coreName: "Haswell", cpu: intel) == nil)
    }

    @Test func cpuinfoParsesModelVendorFlagsAndProcessorCount() {
        let text = """
        processor\t: 0
        vendor_id\t: AuthenticAMD
        model name\t: AMD EPYC 7B13
        flags\t\t: fpu sse2 avx2 fma

        processor\t: 1
        vendor_id\t: AuthenticAMD
        model name\t: AMD EPYC 7B13
        flags\t\t: fpu sse2 avx2 fma
        """
        let cpu = CPUDescription(cpuinfo: text)
        #expect(cpu.model == "AMD EPYC 7B13" && cpu.vendor == "AuthenticAMD" && cpu.logicalCPUs == 2)
        #expect(cpu.flags == ["avx2", "fma", "fpu", "sse2"])
    }

    @Test func exchangeFormatIsRawLittleEndianRowMajorWithMeta() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ngd-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (data, theta) = Benchmark.problem(BenchmarkSize(n: 3, d: 2, m: 5), seed: 1)
        try PeerExchangeFormat.write(inputs: data.inputs, targets: data.targets, parameters: theta, learningRate: 0.5,
                                     seed: 1, to: directory)
        let x = try Data(contentsOf: URL(fileURLWithPath: directory + "/X.bin"))
        #expect(x.count == 3 * 2 * 8)
        let values = (0..<6).map { t in
            Double(bitPattern: x[(8 * t)..<(8 * t + 8)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
        #expect(values == data.inputs.storage)
        let w = try Data(contentsOf: URL(fileURLWithPath: directory + "/W.bin"))
        #expect(w.count == 5 * 2 * 8)
        let meta = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: directory + "/meta.json"))) as? [String: Any])
        #expect(meta["n"] as? Int == 3 && meta["d"] as? Int == 2 && meta["m"] as? Int == 5 && meta["k"] as? Int == 1)
        #expect(meta["lr"] as? Double == 0.5 && meta["format"] as? String == "f64le-rowmajor")
    }

    @Test func popcountKernelIsTheWidestTheCPUHas() throws {
        #if arch(x86_64) && os(Linux)
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = Set((cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") } ?? "").split(separator: " "))
        let expected: PatternGramKernel = flags.contains("avx512_vpopcntdq") && flags.contains("avx512f") ? .avx512
            : flags.contains("avx2") ? .avx2 : flags.contains("popcnt") ? .popcnt : .portable
        #expect(PatternGramKernel.chosen == expected)
        #expect(ActivationPattern.countingKernel == expected.description)
        #else
        #expect(PatternGramKernel.chosen == .portable)
        #endif
    }

    @Test func popcountKernelMatchesBitByBitCountsForEveryRemainder() throws {
        // n from 1 to 9 covers the four-row blocks and every remainder; m = 130 leaves a partial word.
        for n in 1...9 {
            let z = Matrix(rows: n, columns: 130, storage: (0..<(n * 130)).map { t in Double((t * 7919) % 13) - 6 })!
            let pattern = ActivationPattern(preactivations: z)
            let ones = Matrix(rows: n, columns: n, repeating: 1)   // XXᵀ = 1: G is the pattern part alone
            let op = JacobianOperator(inputs: Matrix(rows: n, columns: 1, repeating: 1), preactivations: z,
                                      outputWeights: Matrix(rows: 130, columns: 1, repeating: 1), includesOutputLayer: false)
            let g = op.gram(inputGram: ones)
            for i in 0..<n {
                for j in 0..<n {
                    let shared = (0..<130).filter { pattern.isActive(example: i, unit: $0) && pattern.isActive(example: j, unit: $0) }.count
                    #expect(g[i, j] == Double(shared) / 130)
                }
            }
        }
    }
}

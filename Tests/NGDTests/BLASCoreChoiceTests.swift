import Testing
@testable import NGD

/// The start-up choice of OpenBLAS's kernel set, decided from the CPU flags and the detected core alone.
@Suite struct BLASCoreChoiceTests {
    static let avx512: Set<String> = ["sse4_2", "popcnt", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl",
                                      "avx512dq", "avx512cd"]
    static let avx2: Set<String> = ["sse4_2", "popcnt", "avx", "avx2", "fma"]

    @Test func aGenericCoreOnAnAVX512CPUTriesSkylakeXThenHaswell() {
        let decision = BLASCoreChoice.decide(cpuFlags: Self.avx512, coreName: "Prescott", coreTypeIsSet: false, setting: nil)
        #expect(decision == .tryCores(["SkylakeX", "Haswell", "Sandybridge"], reason: "this CPU has AVX-512 F/BW/VL/DQ"))
    }

    @Test func aGenericCoreOnAnAVX2CPUTriesHaswell() {
        let decision = BLASCoreChoice.decide(cpuFlags: Self.avx2, coreName: "Core2", coreTypeIsSet: false, setting: "auto")
        #expect(decision == .tryCores(["Haswell", "Sandybridge"], reason: "this CPU has AVX2 and FMA"))
        // AVX-512F alone (no BW/VL/DQ, e.g. Knights Landing) is not enough for SkylakeX.
        let partial = BLASCoreChoice.decide(cpuFlags: Self.avx2.union(["avx512f"]), coreName: "Prescott",
                                            coreTypeIsSet: false, setting: nil)
        #expect(partial == .tryCores(["Haswell", "Sandybridge"], reason: "this CPU has AVX2 and FMA"))
        let sandy = BLASCoreChoice.decide(cpuFlags: Self.avx2, coreName: "Sandybridge", coreTypeIsSet: false, setting: nil)
        #expect(sandy == .tryCores(["Haswell"], reason: "this CPU has AVX2 and FMA"))
    }

    @Test func aCoreMadeForTheCPUIsKept() {
        for core in ["Haswell", "SkylakeX", "Cooperlake", "Zen"] {
            let decision = BLASCoreChoice.decide(cpuFlags: Self.avx512, coreName: core, coreTypeIsSet: false, setting: nil)
            #expect(decision == .keep(reason: "OpenBLAS runs \(core) kernels, made for this CPU"))
        }
    }

    @Test func aCPUWithoutVectorExtensionsKeepsTheGenericCore() {
        let decision = BLASCoreChoice.decide(cpuFlags: ["sse2", "sse4_2"], coreName: "Prescott", coreTypeIsSet: false,
                                             setting: nil)
        #expect(decision == .keep(reason: "this CPU has no vector extension beyond OpenBLAS's Prescott kernels"))
    }

    @Test func keepOrAUserCoreTypeTurnsTheChoiceOff() {
        #expect(BLASCoreChoice.decide(cpuFlags: Self.avx512, coreName: "Prescott", coreTypeIsSet: false, setting: "keep")
                == .keep(reason: "NGD_BLAS_CORE=keep"))
        #expect(BLASCoreChoice.decide(cpuFlags: Self.avx512, coreName: "Prescott", coreTypeIsSet: false, setting: " KEEP ")
                == .keep(reason: "NGD_BLAS_CORE=keep"))
        #expect(BLASCoreChoice.decide(cpuFlags: Self.avx512, coreName: "Prescott", coreTypeIsSet: true, setting: nil)
                == .keep(reason: "OPENBLAS_CORETYPE is set"))
        // The user's OPENBLAS_CORETYPE wins over a core named in NGD_BLAS_CORE, and stops a re-exec loop.
        #expect(BLASCoreChoice.decide(cpuFlags: Self.avx512, coreName: "Prescott", coreTypeIsSet: true, setting: "Haswell")
                == .keep(reason: "OPENBLAS_CORETYPE is set"))
    }

    @Test func aNamedCoreIsTriedUnlessItRunsAlready() {
        #expect(BLASCoreChoice.decide(cpuFlags: Self.avx2, coreName: "Zen", coreTypeIsSet: false, setting: "Haswell")
                == .tryCores(["Haswell"], reason: "NGD_BLAS_CORE=Haswell"))
        #expect(BLASCoreChoice.decide(cpuFlags: Self.avx2, coreName: "Haswell", coreTypeIsSet: false, setting: "haswell")
                == .keep(reason: "OpenBLAS already runs Haswell"))
    }

    @Test func provenanceNamesTheChoiceOnlyWhenTheChosenCoreRuns() {
        let chosen = "SkylakeX|Prescott|this CPU has AVX-512 F/BW/VL/DQ"
        let note = BLASInfo.automaticCoreChoice(coreName: "SkylakeX", chosen: chosen, coreType: "SkylakeX")
        #expect(note == "chosen by ngd over the detected Prescott: this CPU has AVX-512 F/BW/VL/DQ (NGD_BLAS_CORE=keep turns this off)")
        var info = BLASInfo(library: "OpenBLAS", coreName: "SkylakeX", configuration: "", threads: 1,
                            automaticCoreChoice: note)
        #expect(info.provenanceCoreName.hasPrefix("SkylakeX (chosen by ngd over the detected Prescott"))
        info.automaticCoreChoice = nil
        #expect(info.provenanceCoreName == "SkylakeX")
        // A stale variable (the user set another core since, or the library ignored it) is not a choice.
        #expect(BLASInfo.automaticCoreChoice(coreName: "Haswell", chosen: chosen, coreType: "Haswell") == nil)
        #expect(BLASInfo.automaticCoreChoice(coreName: "Prescott", chosen: chosen, coreType: "SkylakeX") == nil)
        #expect(BLASInfo.automaticCoreChoice(coreName: "SkylakeX", chosen: "SkylakeX", coreType: "SkylakeX") == nil)
    }

    @Test func theProvingProductAgreesWithThePlainLoopOnTheLoadedBLAS() {
        #expect(BLASCoreChoice.productCheckPasses())
    }
}

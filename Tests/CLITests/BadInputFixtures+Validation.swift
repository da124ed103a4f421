import Foundation

extension BadInputFixtures {
    /// Fixtures for Corpus/validation.txt: specs that each hold one inapplicable key or one value that training
    /// would reject late, the CSV they name is the shared good.csv.
    static func writeValidationFixtures(into directory: URL) throws {
        // Line 3 holds the data sets, line 5 the model, line 7 the optimizer, line 9 the run (see the corpus).
        func spec(dataset: String = "{kind: synthetic, n: 8, d: 4}", model: String = "{width: 10}",
                  optimizer: String = "{kind: ngd, lr: 0.5}", run: String = "{id: r, dataset: s, model: m, optimizer: o, steps: 2}",
                  extra: String = "") -> String {
            """
            title: t
            datasets:
              s: \(dataset)
            models:
              m: \(model)
            optimizers:
              o: \(optimizer)
            runs:
              - \(run)
            \(extra)
            """
        }
        let specs: [String: String] = [
            // Keys the run would not use.
            "spec-path-on-synthetic.yaml": spec(dataset: "{kind: synthetic, n: 8, d: 4, path: data.csv}"),
            "spec-epsilon-on-synthetic.yaml": spec(dataset: "{kind: synthetic, n: 8, d: 4, epsilon: 0.1}"),
            "spec-pairs-on-synthetic.yaml": spec(dataset: "{kind: synthetic, n: 8, d: 4, pairs: 2}"),
            "spec-classes-on-synthetic.yaml": spec(dataset: "{kind: synthetic, n: 8, d: 4, classes: [1, 2]}"),
            "spec-n-on-digits.yaml": spec(dataset: "{kind: digits, n: 7, per_class: 3}"),
            "spec-d-on-csv.yaml": spec(dataset: "{kind: csv, path: good.csv, d: 3}"),
            "spec-normalize-on-synthetic.yaml": spec(dataset: "{kind: synthetic, n: 8, d: 4, normalize: false}"),
            "spec-damping-on-gd.yaml": spec(optimizer: "{kind: gd, lr: 0.5, damping: 5}"),
            "spec-noise-with-one-output.yaml": spec(dataset: "{kind: digits, per_class: 3, target_noise: 0.1}"),
            "spec-sweep-epsilon-on-synthetic.yaml": spec(extra: """
            sweeps:
              - {id: w, dataset: s, model: m, optimizer: o, steps: 2, over: {epsilon: [0.1, 0.2]}}
            """),
            "spec-sweep-damping-on-gd.yaml": spec(optimizer: "{kind: gd, lr: 0.5}", extra: """
            sweeps:
              - {id: w, dataset: s, model: m, optimizer: o, steps: 2, over: {damping: [0.1]}}
            """),
            // Values training would reject after all the other runs.
            "spec-damping-inf.yaml": spec(optimizer: "{kind: ngd, lr: 0.5, damping: .inf}"),
            "spec-init-scale-inf.yaml": spec(model: "{width: 10, init_scale: .inf}"),
            "spec-lr-inf.yaml": spec(optimizer: "{kind: ngd, lr: .inf}"),
            "spec-sweep-lr-inf.yaml": spec(extra: """
            sweeps:
              - {id: w, dataset: s, model: m, optimizer: o, steps: 2, over: {lr: [0.5, .inf]}}
            """),
            "spec-target-noise-inf.yaml": spec(dataset: "{kind: digits, per_class: 3, outputs: 2, target_noise: .inf}",
                                               model: "{width: 10, outputs: 2}"),
            "spec-epsilon-4.yaml": spec(dataset: "{kind: lambda0, n: 8, d: 4, epsilon: 4}"),
            "spec-lambda0-no-epsilon.yaml": spec(dataset: "{kind: lambda0, n: 8, d: 4}"),
            "spec-lambda0-pairs.yaml": spec(dataset: "{kind: lambda0, n: 8, d: 4, epsilon: 0.1, pairs: 5}"),
            "spec-classes-not-digits.yaml": spec(dataset: "{kind: digits, classes: [4, 11], per_class: 3}"),
            "spec-class-outputs.yaml": spec(dataset: "{kind: digits, per_class: 3}", model: "{width: 10, outputs: 3}"),
            "spec-kfac-output-layer.yaml": spec(model: "{width: 10, train_output_layer: true}",
                                                optimizer: "{kind: kfac, lr: 0.5}"),
            "spec-tolerance-inf.yaml": spec(extra: """
            claims:
              - {id: c, statement: s, measured: "last(r.residual_norm)", predicted: 0, compare: "≈", tolerance: .inf}
            """),
            "spec-tolerance-negative.yaml": spec(extra: """
            claims:
              - {id: c, statement: s, measured: "last(r.residual_norm)", predicted: 0, compare: "≈", tolerance: -1}
            """),
            "spec-predicted-inf.yaml": spec(extra: """
            claims:
              - {id: c, statement: s, measured: "last(r.residual_norm)", predicted: .inf, compare: "<="}
            """),
            "spec-figure-huge.yaml": spec(extra: """
            figures:
              - {id: f, kind: convergence, runs: [r], metric: residual_norm, caption: c, size: {width: 1000, height: 3}}
            """),
            "spec-figure-nan.yaml": spec(extra: """
            figures:
              - {id: f, kind: convergence, runs: [r], metric: residual_norm, caption: c, size: {width: .nan, height: 3}}
            """),
            "spec-figure-long-id.yaml": spec(extra: """
            figures:
              - {id: \(String(repeating: "f", count: 65)), kind: convergence, runs: [r], metric: residual_norm, caption: c}
            """),
            // Control characters written as YAML escapes.
            "spec-escape-title.yaml": spec().replacingOccurrences(of: "title: t", with: #"title: "red \e[31m text""#),
            "spec-escape-key.yaml": spec(dataset: #"{kind: synthetic, n: 8, "d\u009b": 4}"#),
        ]
        for (name, text) in specs { try file(name, text, in: directory) }
    }
}

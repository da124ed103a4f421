import Foundation
import Testing
@testable import NGD

/// A recorded configuration lists what the run used and nothing else, and reads back to the same value.
@Suite("Recorded configuration JSON")
struct RecordedConfigurationTests {
    private func json(_ value: some Encodable) throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let object = try JSONSerialization.jsonObject(with: try encoder.encode(value))
        return try #require(object as? [String: Any])
    }

    private func roundTrip<T: Codable & Equatable>(_ value: T) throws -> T {
        let encoder = JSONEncoder(), decoder = JSONDecoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(T.self, from: encoder.encode(value))
    }

    @Test("synthetic data record n and d and leave out the class-data and lambda0 settings")
    func syntheticRecordsItsShapeOnly() throws {
        let record = try json(DatasetRequest(kind: .synthetic).withDefaultsFilled())
        #expect(record["count"] as? Int == 64)
        #expect(record["dimension"] as? Int == 16)
        for absent in ["classes", "target_noise", "target_operator", "normalize", "epsilon", "pairs", "per_class", "path"] {
            #expect(record[absent] == nil, "\(absent) is recorded for synthetic data")
        }
    }

    @Test("class data with one output per class record the target settings; ±1 targets do not")
    func classDataRecordTheTargetsTheyUse() throws {
        let figure1 = try json(DatasetRequest(kind: .digits, outputs: 2, perClass: 10))
        #expect(figure1["target_noise"] as? Double == 0.3)
        #expect(figure1["target_operator"] as? String == "minus")
        #expect(figure1["classes"] as? [Int] == [4, 9])
        let signs = try json(DatasetRequest(kind: .digits, outputs: 1, perClass: 10))
        #expect(signs["target_noise"] == nil && signs["target_operator"] == nil)
    }

    @Test("a CSV records neither outputs nor a data seed, which the file decides")
    func csvRecordsWhatTheFileDoesNotDecide() throws {
        let record = try json(DatasetRequest(kind: .csv, path: "data.csv", contentDigest: "abc"))
        #expect(record["outputs"] == nil && record["seed"] == nil)
        #expect(record["path"] as? String == "data.csv" && record["content_digest"] as? String == "abc")
    }

    @Test("a value that differs from its default is written even where it does not apply, and every request reads back equal")
    func recordsRoundTripExactly() throws {
        let requests = [
            DatasetRequest(kind: .synthetic), DatasetRequest(kind: .synthetic).withDefaultsFilled(),
            DatasetRequest(kind: .lambda0, epsilon: 0.1).withDefaultsFilled(),
            DatasetRequest(kind: .digits, outputs: 2, classes: [3, 5], perClass: 7, targetOperator: .times, targetNoise: 0),
            DatasetRequest(kind: .csv, path: "x.csv", normalize: false),
            DatasetRequest(kind: .synthetic, classes: [1, 2], targetNoise: 0.9),   // odd, but never hidden
        ]
        for request in requests { #expect(try roundTrip(request) == request) }
        #expect(try json(requests.last)["classes"] as? [Int] == [1, 2])
    }

    @Test("GD records no damping and the squared loss no δ; NGD and pseudo-Huber do")
    func optimizerAndLossRecordTheirOwnSettings() throws {
        let gd = try json(TrainingConfig(optimizer: .gd))
        #expect(gd["damping"] == nil && gd["huber_delta"] == nil)
        let ngd = try json(TrainingConfig(optimizer: .ngd, loss: .pseudoHuber, huberDelta: 0.5))
        #expect(ngd["damping"] as? Double == 0 && ngd["huber_delta"] as? Double == 0.5)
        for config in [TrainingConfig(optimizer: .gd), TrainingConfig(optimizer: .gd, damping: 2),
                       TrainingConfig(loss: .pseudoHuber, huberDelta: 3, data: DatasetRequest(kind: .synthetic))] {
            #expect(try roundTrip(config) == config)
        }
    }
}

import ArgumentParser
import CatalogTools
import Foundation
import GRDB
import ToolRuntime

/// `toolrt-bench catalog`: tool calls per second against the catalog on a WAL database file, through
/// the whole tool path (schema validation, typed decoding, the store, result encoding), at several
/// concurrency levels.
struct CatalogBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Catalog tool calls/s (get_product_info, search_products, place_order) on a WAL SQLite file."
    )

    @Option(help: "Calls per tool and concurrency level.")
    var calls: Int = 2_000

    @Option(help: "Concurrency levels, comma-separated.")
    var concurrency: String = "1,64"

    @Option(help: "Database file (default: a fresh file in the temporary folder, removed afterwards).")
    var db: String?

    func run() async throws {
        let levels = concurrency.split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = db ?? directory.appendingPathComponent("catalog.sqlite").path
        let store = try CatalogStore.open(path: path, configuration: .init(blackFriday: nil))
        // Enough stock that every benchmark order succeeds: the figure is the success path.
        try await store.writer.write { db in try db.execute(sql: "UPDATE product SET stock = 10000000") }
        let productIDs = try await store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM product ORDER BY id")
        }
        let customers = try await store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM customer ORDER BY id")
        }
        let executor = ToolExecutor(registry: try ToolRegistry(modules: [CatalogModule(store: store)]))
        let words = ["kopfhorer", "maus", "black schwarz", "wasserkocher", "yoga", "pro", "kabellose", "garten", "lamp"]
        let run = UUID().uuidString.prefix(8)

        print("catalog bench: \(productIDs.count) products, WAL file, \(calls) calls per row, through ToolExecutor")
        for level in levels {
            for tool in ["get_product_info", "search_products", "place_order"] {
                let result = try await measure(calls: calls, concurrency: level) { i in
                    let arguments: String
                    switch tool {
                    case "get_product_info":
                        arguments = #"{"product_id":"\#(productIDs[i % productIDs.count])"}"#
                    case "search_products":
                        arguments = #"{"query":"\#(words[i % words.count])","limit":10}"#
                    default:
                        arguments = #"{"items":[{"product_id":"\#(productIDs[(i * 7) % productIDs.count])","quantity":1}]}"#
                    }
                    let call = ToolCall(
                        index: 0,
                        id: "bench-\(run)-\(level)-\(i)",
                        name: tool,
                        arguments: arguments,
                        status: .complete,
                        value: try JSONParser.parse(arguments)
                    )
                    let context = ToolContext(customerID: customers[i % customers.count])
                    let outcome = await executor.execute([call], context: context)
                    guard outcome.first?.status == "ok" else {
                        throw ValidationError("\(tool) failed: \(outcome.first?.content ?? "no outcome")")
                    }
                }
                let line = [
                    "tool=\(tool)", "concurrency=\(level)", "calls=\(calls)",
                    "calls_per_s=\(Int(result.callsPerSecond))",
                    "p50_us=\(result.p50Microseconds)", "p99_us=\(result.p99Microseconds)",
                ]
                print(line.joined(separator: " "))
            }
        }
    }

    struct Result {
        var callsPerSecond: Double
        var p50Microseconds: Int
        var p99Microseconds: Int
    }

    /// Runs `body(i)` for i in 0..<calls on `concurrency` workers (a task group), timing each call.
    func measure(
        calls: Int,
        concurrency: Int,
        _ body: @escaping @Sendable (Int) async throws -> Void
    ) async throws
        -> Result
    {
        let clock = ContinuousClock()
        let start = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var mine: [Duration] = []
                    var i = worker
                    while i < calls {
                        let began = clock.now
                        try await body(i)
                        mine.append(clock.now - began)
                        i += concurrency
                    }
                    return mine
                }
            }
            var all: [Duration] = []
            for try await part in group { all += part }
            return all.sorted()
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        func microseconds(_ quantile: Double) -> Int {
            guard !latencies.isEmpty else { return 0 }
            let d = latencies[min(latencies.count - 1, Int(Double(latencies.count) * quantile))]
            return Int(d.components.seconds * 1_000_000 + d.components.attoseconds / 1_000_000_000_000)
        }
        return Result(
            callsPerSecond: Double(calls) / seconds,
            p50Microseconds: microseconds(0.5),
            p99Microseconds: microseconds(0.99)
        )
    }
}

// `exp bench` output: SPEC.md's JSON, or a table for people.

import Foundation

extension BenchEntry.Report {
    /// SPEC.md's `exp bench --format json` object (one line, then a newline).
    public var json: String {
        func rows(_ list: [BenchEntry.Row]) -> JSONValue {
            .array(list.map { r in
                var o = JSONObject()
                o["batch_size"] = .int(Int64(r.batchSize))
                o["threads"] = .int(Int64(r.threads))
                o["samples_per_second"] = .double(r.samplesPerSecond)
                o["samples_per_second_min"] = .double(r.minimum)
                o["samples_per_second_max"] = .double(r.maximum)
                o["seconds_per_epoch"] = .double(r.secondsPerEpoch)
                return .object(o)
            })
        }
        var root = JSONObject()
        root["config"] = configuration.json
        root["peak_rss_bytes"] = .int(Int64(peakResidentBytes))
        root["train"] = rows(train)
        root["inference"] = rows(inference)
        return JSONValue.object(root).canonicalJSON + "\n"
    }

    /// A table: one line per configuration, medians with [min, max], seconds per epoch.
    public var text: String {
        var out = "network: \(configuration["model.architecture"].stringValue ?? "?") bn=\(configuration["model.bn"].stringValue ?? "?")\n"
        func table(_ title: String, _ list: [BenchEntry.Row]) {
            guard !list.isEmpty else { return }
            out += "\(title)\n    n  threads   samples/s (median)        [min, max]   s/epoch\n"
            for r in list {
                out += String(format: "%5d  %7d  %18.0f  [%7.0f, %7.0f]  %8.3f\n",
                              r.batchSize, r.threads, r.samplesPerSecond, r.minimum, r.maximum, r.secondsPerEpoch)
            }
        }
        table("training (SGD steps, 60,000 samples per epoch)", train)
        table("inference (10,000 test images per epoch)", inference)
        out += String(format: "peak RSS: %.1f MiB\n", Double(peakResidentBytes) / 1_048_576)
        return out
    }
}

// Kernel galleries and activation maps: PNGs of each configuration's best run, copied into
// figures/<sweep>/ so that the notebook folder stands on its own.

import Foundation
import PNG

/// A PNG to copy into the output: its bytes (checked to decode) and its new name.
struct CopiedImage {
    /// File name under figures/<sweep>/.
    var fileName: String
    /// The PNG file's bytes.
    var bytes: [UInt8]
    /// Width and height, for the notebook.
    var width: Int, height: Int
}

/// The images shown for one configuration.
struct GalleryEntry {
    var group: ConfigurationGroup
    var run: LoadedRun
    /// First-layer kernel grids: (epoch, image) at epoch 0 and at the last exported epoch.
    var kernels: [(epoch: Int, image: CopiedImage)]
    /// The layer file shown ("P0").
    var layer: String?
    /// Activation maps of one test image at the last epoch: (i of A{i}, image).
    var activations: [(index: Int, image: CopiedImage)]
    var activationEpoch: Int?
    var testImage: Int?

    /// The entry for `group`'s best run, or nil when it has no images.
    static func make(group: ConfigurationGroup) -> GalleryEntry? {
        guard let run = group.bestRun else { return nil }
        let prefix = String(format: "c%02d", group.index + 1)
        var entry = GalleryEntry(group: group, run: run, kernels: [], layer: nil, activations: [], activationEpoch: nil, testImage: nil)
        let kernelEpochs = numbered(in: run.directory + "/kernels", prefix: "epoch_", suffix: "", isDirectory: true)
        for (epoch, name) in [kernelEpochs.first, kernelEpochs.count > 1 ? kernelEpochs.last : nil].compactMap({ $0 }) {
            let directory = run.directory + "/kernels/" + name
            guard let first = numbered(in: directory, prefix: "P", suffix: ".png", isDirectory: false).first else { continue }
            entry.layer = entry.layer ?? "P\(first.number)"
            guard "P\(first.number)" == entry.layer,
                  let image = load(directory + "/" + first.name, as: "\(prefix)-kernels-\(name).png") else { continue }
            entry.kernels.append((epoch, image))
        }
        if let epoch = numbered(in: run.directory + "/activations", prefix: "epoch_", suffix: "", isDirectory: true).last,
           let image = numbered(in: run.directory + "/activations/" + epoch.name, prefix: "image_", suffix: "", isDirectory: true).first {
            let directory = run.directory + "/activations/\(epoch.name)/\(image.name)"
            for map in numbered(in: directory, prefix: "A", suffix: ".png", isDirectory: false) {
                if let copied = load(directory + "/" + map.name, as: "\(prefix)-\(epoch.name)-\(image.name)-A\(map.number).png") {
                    entry.activations.append((map.number, copied))
                }
            }
            entry.activationEpoch = epoch.number
            entry.testImage = image.number
        }
        return entry.kernels.isEmpty && entry.activations.isEmpty ? nil : entry
    }

    /// Entries of `directory` named prefix + decimal digits + suffix, sorted by the number.
    static func numbered(in directory: String, prefix: String, suffix: String, isDirectory: Bool) -> [(number: Int, name: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix(prefix), name.hasSuffix(suffix), name.count > prefix.count + suffix.count else { return nil }
            let digits = name.dropFirst(prefix.count).dropLast(suffix.count)
            guard digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits) else { return nil }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDir), isDir.boolValue == isDirectory else { return nil }
            return (number, name)
        }.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
    }

    /// The file's bytes when they decode as PNG; nil otherwise (the image is left out).
    static func load(_ path: String, as fileName: String) -> CopiedImage? {
        guard let data = FileManager.default.contents(atPath: path), let image = try? PNGImage.decode(Array(data)) else { return nil }
        return CopiedImage(fileName: fileName, bytes: Array(data), width: image.width, height: image.height)
    }
}

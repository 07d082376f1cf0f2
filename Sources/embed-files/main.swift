import Foundation

// Writes a Swift source holding files' bytes, for the EmbedTemplates build plugin:
//   embed-files OUTPUT ROOT FILE...
// Each FILE is stored under its path relative to ROOT, as Base64 (a string
// literal compiles quickly at any size).
let arguments = CommandLine.arguments.dropFirst()
guard arguments.count >= 2, let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: embed-files OUTPUT ROOT FILE...\n".utf8))
    exit(2)
}
let root = arguments.dropFirst().first.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? "/"
var source = """
    // Made by the EmbedTemplates build plugin from the Templates folder; not committed.

    extension BuiltInTemplates {
        /// Each file of the Templates folder: its path in the folder and its bytes in Base64.
        static let encoded: [(path: String, base64: String)] = [

    """
for file in arguments.dropFirst(2) {
    guard file.hasPrefix(root), let bytes = FileManager.default.contents(atPath: file) else {
        FileHandle.standardError.write(Data("embed-files: cannot read \(file) under \(root)\n".utf8))
        exit(1)
    }
    let path = String(file.dropFirst(root.count)).replacingOccurrences(of: "\\", with: "\\\\")
        .replacingOccurrences(of: "\"", with: "\\\"")
    source += "        (\"\(path)\", \"\(bytes.base64EncodedString())\"),\n"
}
source += "    ]\n}\n"
do {
    try Data(source.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
} catch {
    FileHandle.standardError.write(Data("embed-files: cannot write \(output): \(error)\n".utf8))
    exit(1)
}

import FERExperiment
import FuzzDriver

/// One fuzz input: read as an experiment config (any bytes, decoded as UTF-8
/// with repairs). It must give a config or a `ConfigError`; a crash or a
/// sanitizer report is a finding.
@_cdecl("ferlab_fuzz_config")
func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? ExperimentConfig.parse(text, file: "fuzz.yaml")
    return 0
}

/// The program's entry point (SwiftPM names it after the module): libFuzzer's driver.
@_cdecl("fuzz_config_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    ferlab_fuzz_run(argc, argv, fuzzConfig)
}

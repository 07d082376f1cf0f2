extension ExperimentConfig {
    /// Every parameter by its key path in the config file (`models.clusters`),
    /// as text: what a run records and compares with the previous run.
    package var flattened: [String: String] { ConfigSchema.flattened(self) }
}

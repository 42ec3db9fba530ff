"""Enterprise self-checks (企业自查): results enterprises report, recorded by the bureau."""

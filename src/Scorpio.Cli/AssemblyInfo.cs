using System.Runtime.CompilerServices;

// CliRunner and ParameterFlags are tested in-process.
[assembly: InternalsVisibleTo("Scorpio.Cli.Tests")]
// The soaks (bench/soak) classify errors as the CLI does (CliRunner.IsUserError).
[assembly: InternalsVisibleTo("Scorpio.Bench.Soak")]

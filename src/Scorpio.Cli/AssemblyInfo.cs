using System.Runtime.CompilerServices;

// CliRunner and ParameterFlags are tested in-process.
[assembly: InternalsVisibleTo("Scorpio.Cli.Tests")]

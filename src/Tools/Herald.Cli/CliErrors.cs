namespace Herald.Cli;

/// <summary>
/// The command could not do what was asked (a missing file, not a Herald log, an unknown consumer, no such dead
/// letter, ...): exit code 1. The message is one line that says what was wrong and, where it can, how to fix it.
/// </summary>
internal sealed class OperatorException(string message) : Exception(message);

/// <summary>The command line itself is wrong (a missing or conflicting option): exit code 2, like a parse error.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>The exit codes of <c>herald</c>, documented in docs/cli.md.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}

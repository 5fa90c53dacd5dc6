namespace Herald;

/// <summary>What a publish does when an inline handler throws.</summary>
public enum FailurePolicy
{
    /// <summary>
    /// Every inline handler runs; the failures are collected and thrown together after the last one as a
    /// <see cref="HandlersFailedException"/>. The default.
    /// </summary>
    RunAll = 0,

    /// <summary>The first failure stops the remaining handlers and propagates unchanged.</summary>
    StopOnFirst = 1,
}

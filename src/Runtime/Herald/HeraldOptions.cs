namespace Herald;

/// <summary>Options of the in-process bus, set through <c>AddHerald(o => …)</c>.</summary>
public sealed class HeraldOptions
{
    /// <summary>What a publish does when an inline handler throws. Default <see cref="FailurePolicy.RunAll"/>.</summary>
    public FailurePolicy FailurePolicy { get; set; } = FailurePolicy.RunAll;
}

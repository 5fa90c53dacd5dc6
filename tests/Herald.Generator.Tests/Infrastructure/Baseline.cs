namespace Herald.Generator.Tests.Infrastructure;

/// <summary>
/// Checked-in expected outputs under <c>Baselines/</c>. Set the environment variable
/// <c>HERALD_UPDATE_BASELINES=1</c> to rewrite them from the current generator instead of comparing; then review
/// the diff like code.
/// </summary>
internal static class Baseline
{
    public const string UpdateVariable = "HERALD_UPDATE_BASELINES";

    public static void Verify(string name, string actual)
    {
        var path = PathOf(name);
        actual = NormalizeNewLines(actual);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"No baseline {path}: run the tests with {UpdateVariable}=1 to create it.");
        var expected = NormalizeNewLines(File.ReadAllText(path));
        // Assert.Equal on strings shows where the texts first differ.
        Assert.Equal(expected, actual);
    }

    /// <summary>
    /// Like <see cref="Verify"/> for a file the generator writes only in some scenarios: no text must mean no
    /// baseline (an update deletes a baseline that is no longer written).
    /// </summary>
    public static void VerifyOptional(string name, string? actual)
    {
        if (actual is not null)
        {
            Verify(name, actual);
            return;
        }
        var path = PathOf(name);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.Delete(path);
            return;
        }
        Assert.False(File.Exists(path), $"The generator wrote nothing for {path}, which expects a file.");
    }

    /// <summary>The baseline in the source tree (not the build output), so an update lands where git sees it.</summary>
    public static string PathOf(string name)
        => Path.Combine(RepositoryRoot.Find(), "tests", "Herald.Generator.Tests", "Baselines", name + ".generated.txt");

    // A checkout may turn LF into CRLF; the generator always writes LF.
    private static string NormalizeNewLines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}

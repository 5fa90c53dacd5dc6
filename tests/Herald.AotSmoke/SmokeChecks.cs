namespace Herald.AotSmoke;

/// <summary>Records named checks, prints each one, and turns the outcome into the process exit code.</summary>
public sealed class SmokeChecks
{
    private int _passed;
    private int _failed;

    public void Expect(string name, bool condition, string detail = "")
    {
        if (condition)
        {
            _passed++;
            Console.WriteLine($"ok   {name}");
        }
        else
        {
            _failed++;
            Console.WriteLine($"FAIL {name}{(detail.Length > 0 ? ": " + detail : "")}");
        }
    }

    public void ExpectEqual<T>(string name, T expected, T actual)
        => Expect(name, EqualityComparer<T>.Default.Equals(expected, actual), $"expected {expected}, got {actual}");

    public void ExpectSequence(string name, string[] expected, string[] actual)
        => Expect(name, expected.AsSpan().SequenceEqual(actual),
            $"expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");

    /// <summary>Runs <paramref name="body"/>, counting an unexpected exception as a failed check.</summary>
    public async Task Section(string name, Func<Task> body)
    {
        try
        {
            await body().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Expect($"{name}: runs without an unexpected exception", false, ex.ToString());
        }
    }

    public int Finish()
    {
        if (_failed == 0)
        {
            Console.WriteLine($"AOT smoke: OK ({_passed} checks)");
            return 0;
        }

        Console.WriteLine($"AOT smoke: FAILED ({_failed} of {_passed + _failed} checks)");
        return 1;
    }
}

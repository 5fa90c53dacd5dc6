namespace Herald.Tests.Validation;

/// <summary>Handled: its dispatcher checks for null too.</summary>
public sealed record AccountClosed(CallTrace Trace);

/// <summary>Handled nowhere, published here: no generated table lists it.</summary>
public sealed record AccountArchived(string Id);

/// <summary>A value-type event handled nowhere.</summary>
public readonly record struct AccountPinged(int Sequence);

public static class AccountHandlers
{
    [Subscribe]
    public static void Close(AccountClosed e) => e.Trace.Record("Herald.Tests.Validation.AccountHandlers.Close");
}

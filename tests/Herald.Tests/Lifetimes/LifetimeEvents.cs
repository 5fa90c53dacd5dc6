namespace Herald.Tests.Lifetimes;

/// <summary>Handled by a class that AddHerald registers (singleton).</summary>
public sealed record SessionOpened(string User);

/// <summary>Handled by a class that the tests register as scoped.</summary>
public sealed record BasketChanged(string Sku);

/// <summary>Handled by a class that the tests register as transient.</summary>
public sealed record ReportRequested(string Name);

/// <summary>Handled twice by one class that the tests register as transient.</summary>
public sealed record ShiftSwapped(string Employee);

/// <summary>Handled by a singleton class and by a class the tests register as scoped, in one publish.</summary>
public sealed record ShiftClosed(string Employee);

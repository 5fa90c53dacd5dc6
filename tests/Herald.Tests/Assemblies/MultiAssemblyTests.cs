using Herald.Tests.LibraryB;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Tests.Assemblies;

public sealed class MultiAssemblyTests
{
    // Order first; at equal Order, referenced assemblies by name (LibraryA, then LibraryB) in their own source
    // order, then this assembly.
    private static readonly string[] InvoiceIssuedOrder =
    [
        "Herald.Tests.LibraryB.InvoiceAuditor.Check",                 // -10, LibraryB (public instance class)
        "Herald.Tests.Assemblies.InvoiceIssuedHandlers.Screen",       // -10, this assembly
        "Herald.Tests.LibraryA.InvoiceLedger.Post",                   // 0, LibraryA (public static class)
        "Herald.Tests.LibraryA.InvoiceMailer.Send",                   // 0, LibraryA (internal instance class)
        "Herald.Tests.LibraryB.InvoiceArchive.Store",                 // 0, LibraryB (internal static class)
        "Herald.Tests.Assemblies.InvoiceIssuedHandlers.Book",         // 0, this assembly
        "Herald.Tests.LibraryA.InvoiceLedger.Reconcile",              // 10, LibraryA
        "Herald.Tests.Assemblies.InvoiceIssuedHandlers.Follow",       // 10, this assembly
    ];

    [Fact]
    public void Publish_EventOfLibraryA_RunsHandlersOfBothLibrariesAndThisAssemblyInDocumentedOrder()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        host.Bus.Publish(new InvoiceIssued(trace, "INV-1"));

        Assert.Equal(InvoiceIssuedOrder, trace.Calls);
    }

    [Fact]
    public async Task PublishAsync_EventOfLibraryA_RunsHandlersOfBothLibrariesAndThisAssemblyInDocumentedOrder()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        await host.Bus.PublishAsync(new InvoiceIssued(trace, "INV-1"));

        Assert.Equal(InvoiceIssuedOrder, trace.Calls);
    }

    [Fact]
    public void TypedPublish_EventOfLibraryA_RunsHandlersOfEveryAssemblyInDocumentedOrder()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        HeraldDispatch.Publish(host.Bus, new InvoiceIssued(trace, "INV-1"));

        Assert.Equal(InvoiceIssuedOrder, trace.Calls);
    }

    [Fact]
    public void Publish_FromLibraryCode_ReachesTheHandlersOfTheAssembliesThatReferenceIt()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        InvoiceDesk.Issue(host.Bus, new InvoiceIssued(trace, "INV-2"));

        Assert.Equal(InvoiceIssuedOrder, trace.Calls);
    }

    [Fact]
    public void Publish_EventOfLibraryAHandledOnlyInLibraryBAndHere_RunsBoth()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        host.Bus.Publish(new RefundRequested(trace, "INV-3"));

        Assert.Equal(
            ["Herald.Tests.LibraryB.InvoiceArchive.StoreRefund", "Herald.Tests.Assemblies.RefundApprover.Approve"],
            trace.Calls);
    }

    [Fact]
    public void Publish_EventOfLibraryB_RunsHandlersHereAndInLibraryBByOrder()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        host.Bus.Publish(new PaymentReceived(trace, 12.5m));

        Assert.Equal(
            ["Herald.Tests.Assemblies.PaymentReconciler.Reconcile", "Herald.Tests.LibraryB.PaymentNotifier.Notify"],
            trace.Calls);
    }

    [Fact]
    public void Publish_EventImplementingLibraryInterface_ReachesTheLibrarysInterfaceHandler()
    {
        using var host = TestHost.Create();
        var trace = new CallTrace();

        host.Bus.Publish(new CreditNoteIssued(trace, "CN-1"));

        Assert.Equal(
            ["Herald.Tests.LibraryA.BillingJournal.Write", "Herald.Tests.Assemblies.CreditNoteFiling.File"],
            trace.Calls);
    }

    [Theory]
    [InlineData("Herald.Tests.LibraryA.InvoiceMailer")]     // internal, LibraryA
    [InlineData("Herald.Tests.LibraryB.InvoiceAuditor")]    // public, LibraryB
    [InlineData("Herald.Tests.LibraryB.PaymentNotifier")]   // internal, LibraryB
    [InlineData("Herald.Tests.Assemblies.RefundApprover")]  // internal, this assembly
    public void AddHerald_RegistersHandlerClassesOfEveryAssemblyAsSingletons(string handlerClass)
    {
        var services = new ServiceCollection();

        services.AddHerald();

        var descriptor = Assert.Single(services, d => d.ServiceType.FullName == handlerClass);
        Assert.Equal(ServiceLifetime.Singleton, descriptor.Lifetime);
        Assert.Equal(descriptor.ServiceType, descriptor.ImplementationType);
    }

    [Fact]
    public void Publish_LibraryHandlerFails_FailureNamesTheLibraryHandler()
    {
        using var host = TestHost.Create();
        var failure = new InvalidOperationException("mail server down");
        var trace = new CallTrace().When("Herald.Tests.LibraryA.InvoiceMailer.Send", () => throw failure);

        var thrown = Assert.Throws<HandlersFailedException>(() => host.Bus.Publish(new InvoiceIssued(trace, "INV-5")));

        Assert.Equal(InvoiceIssuedOrder, trace.Calls);
        var single = Assert.Single(thrown.Failures);
        Assert.Equal("Herald.Tests.LibraryA.InvoiceMailer.Send", single.Handler);
        Assert.Same(failure, single.Exception);
    }
}

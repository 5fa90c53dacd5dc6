namespace Herald.CodeAnalysis
{
    /// <summary>Metadata names of the runtime types that the generator and the analyzers look for.</summary>
    internal static class KnownNames
    {
        public const string SubscribeAttribute = "Herald.SubscribeAttribute";
        public const string EventAttribute = "Herald.EventAttribute";
        public const string PartitionKeyAttribute = "Herald.PartitionKeyAttribute";
        public const string EventBus = "Herald.IEventBus";
        public const string ModuleAttribute = "Herald.Infrastructure.HeraldModuleAttribute";
        public const string PublishesAttribute = "Herald.Infrastructure.HeraldPublishesAttribute";
        public const string TransportAttribute = "Herald.Durable.HeraldTransportAttribute";
        public const string CancellationToken = "System.Threading.CancellationToken";
        public const string Task = "System.Threading.Tasks.Task";
        public const string ValueTask = "System.Threading.Tasks.ValueTask";
    }
}

namespace Herald.Tests.Polymorphism;

public interface IShipmentEvent
{
    CallTrace Trace { get; }
}

/// <summary>Implemented by <see cref="ShipmentDelayed"/>; nothing handles it.</summary>
public interface ICarrierNotice
{
    string Carrier { get; }
}

/// <summary>A non-sealed base event with handlers of its own.</summary>
public record ShipmentEvent(CallTrace Trace) : IShipmentEvent;

/// <summary>A derived event with handlers of its own.</summary>
public sealed record ShipmentDelayed(CallTrace Trace, int Days) : ShipmentEvent(Trace), ICarrierNotice
{
    public string Carrier => "North Freight";
}

/// <summary>A derived event without handlers of its own; published in this assembly through its base type only.</summary>
public sealed record ShipmentRerouted(CallTrace Trace, string Via) : ShipmentEvent(Trace);

/// <summary>A derived event without handlers of its own, published only from generic code: the generator never sees it.</summary>
public sealed record ShipmentSplit(CallTrace Trace, int Parcels) : ShipmentEvent(Trace);

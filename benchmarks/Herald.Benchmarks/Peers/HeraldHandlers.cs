using System.Runtime.CompilerServices;

namespace Herald.Benchmarks.Peers;

// Herald's side of PeerBenchmarks (also called directly and through a multicast delegate, the baselines).
// HeraldTickN has N handlers: handler classes 1..N each subscribe to it. The AsyncTick events have handlers that
// suspend on the ResumeGate. The handler bodies are the same in every library: a static counter increment, not
// inlined.

public sealed record HeraldTick1(int Value);
public sealed record HeraldTick3(int Value);
public sealed record HeraldTick8(int Value);
public sealed record HeraldAsyncTick1(int Value);
public sealed record HeraldAsyncTick3(int Value);
public sealed record HeraldAsyncTick8(int Value);

public sealed class HeraldHandler1
{
    public static int Count;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Handle(HeraldTick1 e) => Count++;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Handle(HeraldTick3 e) => Count++;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Handle(HeraldTick8 e) => Count++;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(HeraldAsyncTick1 e)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(HeraldAsyncTick3 e)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(HeraldAsyncTick8 e)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class HeraldHandler2
{
    public static int Count;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Handle(HeraldTick3 e) => Count++;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Handle(HeraldTick8 e) => Count++;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(HeraldAsyncTick3 e)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(HeraldAsyncTick8 e)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class HeraldHandler3
{
    public static int Count;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Handle(HeraldTick3 e) => Count++;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Handle(HeraldTick8 e) => Count++;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(HeraldAsyncTick3 e)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(HeraldAsyncTick8 e)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class HeraldHandler4
{
    public static int Count;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Handle(HeraldTick8 e) => Count++;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(HeraldAsyncTick8 e)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class HeraldHandler5
{
    public static int Count;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Handle(HeraldTick8 e) => Count++;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(HeraldAsyncTick8 e)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class HeraldHandler6
{
    public static int Count;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Handle(HeraldTick8 e) => Count++;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(HeraldAsyncTick8 e)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class HeraldHandler7
{
    public static int Count;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Handle(HeraldTick8 e) => Count++;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(HeraldAsyncTick8 e)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

public sealed class HeraldHandler8
{
    public static int Count;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Handle(HeraldTick8 e) => Count++;

    [Subscribe]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public async ValueTask Handle(HeraldAsyncTick8 e)
    {
        await ResumeGate.Shared.WaitAsync();
        Count++;
    }
}

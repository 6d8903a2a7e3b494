namespace CrossCore.Cli.Torture;

/// <summary>The primitives by <see cref="Primitive"/>: one stateless instance each, shared by every invoker.</summary>
internal static class TorturePrimitives
{
    private static readonly ITorturePrimitive[] s_byKind = Create();

    /// <summary>The primitive that issues requests of <paramref name="kind"/>.</summary>
    public static ITorturePrimitive For(Primitive kind) => s_byKind[(int)kind];

    private static ITorturePrimitive[] Create()
    {
        ITorturePrimitive[] all =
        [
            new SinglePrimitive(wait: false),
            new SinglePrimitive(wait: true),
            new SingleRpcPrimitive(),
            new SharedDescriptorPrimitive(),
            new OwnClaimPrimitive(Primitive.AsyncOwn),
            new ManyPrimitive(wait: false),
            new ManyPrimitive(wait: true),
            new EachCondPrimitive(),
            new AnyPrimitive(),
            new TaskPrimitive(),
            new SharedWorkPrimitive(),
            new OwnClaimPrimitive(Primitive.DeferredOwn),
            new OwnClaimPrimitive(Primitive.DeferredLazy),
            new AwaitPrimitive(),
        ];
        var byKind = new ITorturePrimitive?[PrimitiveNames.Count];
        foreach (var p in all)
        {
            byKind[(int)p.Kind] = p;
        }

        for (var i = 0; i < byKind.Length; i++)
        {
            if (byKind[i] is null)
            {
                throw new InvalidOperationException($"no torture primitive for {((Primitive)i).Name()}");
            }
        }

        return byKind!;
    }
}

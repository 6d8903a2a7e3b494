namespace CrossCore.Kv;

/// <summary>What INFO and DBSIZE report about the keys.</summary>
/// <param name="Keys">Keys stored now (expired keys not yet swept included, as in Redis).</param>
/// <param name="ExpiredKeys">Keys removed because their deadline passed (by a read or by the sweep).</param>
/// <param name="Sweeps">Expiry sweeps run.</param>
internal readonly record struct KeyspaceInfo(long Keys, long ExpiredKeys, long Sweeps);

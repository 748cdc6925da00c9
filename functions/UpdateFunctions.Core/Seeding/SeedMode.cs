namespace UpdateFunctions.Core.Seeding;

/// <summary>What a seed load does with rows that already exist.</summary>
public enum SeedMode
{
    /// <summary>Makes every row the seed names hold what the seed says (rows it does not name are left alone).</summary>
    Overwrite,

    /// <summary>
    /// Writes only rows that do not exist yet, so changes made since through the management API survive a restart
    /// (LocalHost's default; <c>--reseed</c> asks for <see cref="Overwrite"/>).
    /// </summary>
    MissingOnly,
}

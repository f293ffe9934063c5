namespace Prepay.Catalog.Imports;

public enum ImportPhase
{
    /// <summary>The file is being read and each cell checked.</summary>
    Reading,

    /// <summary>Rows are checked against the database, <see cref="ImportProgress.Checked"/> of <see cref="ImportProgress.Rows"/>.</summary>
    Checking,

    /// <summary>Everything checked; the new rows are being written in the import's one transaction.</summary>
    Writing,

    /// <summary>Finished: imported, checked only, or refused.</summary>
    Done,
}

/// <summary>
/// How far an import has got. <see cref="Written"/> moves from zero to the rows written only when the one transaction
/// commits: the import is all or nothing, so no row is written before every row is.
/// </summary>
public sealed record ImportProgress(ImportPhase Phase, int Rows, int Checked, int Written)
{
    public static ImportProgress Reading { get; } = new(ImportPhase.Reading, 0, 0, 0);
}

namespace Prepay.HeadEnd.Ingest;

/// <summary>
/// What a batch's write stored: new real rows, new estimates, and real values written over an estimate. An estimate
/// that met a stored row (real or estimated) is in none of them: it was not needed, and it is no reading the meter
/// sent, so it is no duplicate either.
/// </summary>
public readonly record struct WrittenReadings(int Real, int Estimates, int Replaced)
{
    /// <summary>The meter's own readings that are now stored: new, or in place of an estimate.</summary>
    public int RealWritten => Real + Replaced;
}

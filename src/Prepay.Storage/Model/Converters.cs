using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NodaTime;
using NodaTime.Text;

namespace Prepay.Storage.Model;

/// <summary>
/// An <see cref="Instant"/> as 100-ns ticks since the Unix epoch (a bigint): sorts and compares the same on
/// SQLite and PostgreSQL, with no time zone for either to misread.
/// </summary>
internal sealed class InstantConverter() : ValueConverter<Instant, long>(i => i.ToUnixTimeTicks(), t => Instant.FromUnixTimeTicks(t));

/// <summary>A <see cref="LocalDate"/> as ISO text (yyyy-MM-dd), which sorts as dates do.</summary>
internal sealed class LocalDateConverter() : ValueConverter<LocalDate, string>(d => LocalDatePattern.Iso.Format(d), s => LocalDatePattern.Iso.Parse(s).Value);

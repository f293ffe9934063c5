using NodaTime;

namespace Prepay.Meter.Load;

/// <summary>Mean watts per local hour for each shape, for working days and rest days; interpolated within the hour.</summary>
internal static class ShapeCurves
{
    private static readonly int[] ResidentialWeekday =
        [200, 180, 170, 170, 180, 250, 600, 1100, 800, 300, 280, 280, 300, 300, 300, 350, 450, 800, 1400, 1600, 1400, 1000, 600, 350];

    private static readonly int[] ResidentialWeekend =
        [250, 200, 180, 170, 170, 200, 300, 600, 1000, 900, 700, 600, 700, 600, 500, 500, 600, 900, 1400, 1600, 1400, 1000, 700, 400];

    private static readonly int[] ShopOpen =
        [150, 150, 150, 150, 150, 150, 150, 800, 2500, 2500, 2500, 2500, 2500, 2500, 2500, 2500, 2500, 2500, 1200, 150, 150, 150, 150, 150];

    private static readonly int[] ShopClosed =
        [150, 150, 150, 150, 150, 150, 150, 150, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 150, 150, 150, 150, 150, 150];

    private static readonly int[] DormitoryWeekday =
        [2500, 2000, 1200, 600, 400, 400, 800, 1200, 700, 400, 350, 350, 400, 400, 400, 500, 800, 1500, 2500, 3000, 3200, 3200, 3000, 2800];

    private static readonly int[] DormitoryWeekend =
        [2800, 2500, 1800, 900, 500, 400, 400, 500, 800, 1000, 1000, 1000, 1000, 900, 900, 900, 1000, 1500, 2500, 3000, 3200, 3200, 3000, 2900];

    private static readonly int[] IndustrialWeekday =
        [4000, 4000, 4000, 4000, 4000, 4000, 12000, 40000, 40000, 40000, 40000, 40000, 38000, 40000, 40000, 40000, 40000, 20000, 4000, 4000, 4000, 4000, 4000, 4000];

    private static readonly int[] IndustrialWeekend =
        [4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000];

    public static double Watts(LoadShape shape, LocalDateTime local)
    {
        var curve = Curve(shape, local.DayOfWeek);
        int hour = local.Hour;
        double fraction = local.Minute / 60.0;
        return (curve[hour] * (1 - fraction)) + (curve[(hour + 1) % 24] * fraction);
    }

    /// <summary>How much of the load is heating that grows in winter.</summary>
    public static double HeatingShare(LoadShape shape) => shape switch
    {
        LoadShape.Residential => 0.35,
        LoadShape.Dormitory => 0.30,
        LoadShape.Shop => 0.15,
        _ => 0.10,
    };

    /// <summary>The chance per minute of a short appliance burst (kettle, iron), and its size in W.</summary>
    public static (double Chance, int Watts) Burst(LoadShape shape) => shape switch
    {
        LoadShape.Residential => (0.02, 1800),
        LoadShape.Dormitory => (0.04, 1800),
        LoadShape.Shop => (0.01, 1500),
        _ => (0.02, 8000),
    };

    private static int[] Curve(LoadShape shape, IsoDayOfWeek day) => shape switch
    {
        LoadShape.Residential => day is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday ? ResidentialWeekend : ResidentialWeekday,
        LoadShape.Shop => day == IsoDayOfWeek.Sunday ? ShopClosed : ShopOpen,
        LoadShape.Dormitory => day is IsoDayOfWeek.Friday or IsoDayOfWeek.Saturday ? DormitoryWeekend : DormitoryWeekday,
        LoadShape.Industrial => day is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday ? IndustrialWeekend : IndustrialWeekday,
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "Unknown load shape."),
    };
}

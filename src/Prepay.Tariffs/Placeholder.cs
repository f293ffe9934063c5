namespace Prepay.Tariffs;

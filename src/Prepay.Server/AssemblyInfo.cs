namespace Prepay.Server;

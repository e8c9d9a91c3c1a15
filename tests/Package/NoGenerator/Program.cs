using System;
using PackageApp;

Console.WriteLine(Functions.Square(3.0));

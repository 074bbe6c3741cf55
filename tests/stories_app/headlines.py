"""Real headlines of three stories of the UCI News Aggregator corpus (the demo's), each from
several publishers."""

IOS = [
    "Apple iOS 7.1: All the Cool New Features and Fixes",
    "Apple Releases iOS 7.1 Update",
    "Apple Releases iOS 7.1 With Homescreen Crash Fix, CarPlay Support",
    "iOS 7.1 adds manual control of Siri, Apple CarPlay",
]
DUNHAM = [
    "Lena Dunham Apologizes For Molestation Joke On Twitter",
    "Lena Dunham admits molestation joke was off-colour",
    "Lena Dunham Apologises for Molestation Tweet",
]
CARNEY = [
    "RBS might have to move says Carney",
    "Carney: RBS may have to leave independent Scotland",
]

"""Each role's home page: the work waiting for a person, gathered from every feature app. It sits
above the feature apps so that none of them, and not `org`, has to know about the others."""

"""Three languages (issue 9, section 6): English, Spanish and French texts of groups, meetings and
priority areas; the language chosen per field or by `Accept-Language`, with the one served said."""

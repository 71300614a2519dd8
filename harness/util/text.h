/* Normalising text for matching: question lookup on import and "normalized" solution uniqueness. */
#ifndef COSEVAL_TEXT_H
#define COSEVAL_TEXT_H

/* Returns a malloc'd copy of s (owned by the caller) with leading and trailing white space removed, each
 * run of white space inside folded into one space and, when lowercase is set, ASCII letters lowercased
 * (isspace and tolower of the C locale). Returns NULL when out of memory. */
char *cs_text_normalize(const char *s, int lowercase);

#endif

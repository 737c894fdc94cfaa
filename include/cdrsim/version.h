/* The release of cdrsim these headers belong to. CMakeLists.txt reads the project's version from
 * here, so this line is the one place a release changes it. */
#ifndef CDRSIM_VERSION_H
#define CDRSIM_VERSION_H

#define CDRSIM_VERSION "0.2.0"

#endif

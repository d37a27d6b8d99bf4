#ifndef CC_VERSION_H
#define CC_VERSION_H

#ifndef CC_VERSION
#define CC_VERSION "0.1.0"
#endif

#endif

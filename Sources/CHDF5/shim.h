// libhdf5 1.10 (Debian's libhdf5-dev, serial). Macros that Swift cannot import (they expand to
// casts or to H5open() calls) are wrapped in static inline functions here; see PLATFORM.md §4.2.
#include <hdf5.h>

static inline hid_t exp_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t exp_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t exp_h5t_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t exp_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t exp_h5t_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t exp_h5t_c_s1(void) { return H5T_C_S1; }
static inline hid_t exp_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t exp_h5p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t exp_h5p_link_create(void) { return H5P_LINK_CREATE; }
static inline unsigned exp_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned exp_h5f_acc_excl(void) { return H5F_ACC_EXCL; }
static inline unsigned exp_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned exp_h5f_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline hsize_t exp_h5s_unlimited(void) { return H5S_UNLIMITED; }
static inline size_t exp_h5t_variable(void) { return H5T_VARIABLE; }
static inline hid_t exp_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t exp_h5s_all(void) { return H5S_ALL; }
static inline hid_t exp_h5e_default(void) { return H5E_DEFAULT; }
static inline hid_t exp_h5p_attribute_create(void) { return H5P_ATTRIBUTE_CREATE; }
static inline hid_t exp_h5p_group_create(void) { return H5P_GROUP_CREATE; }
// Switches off HDF5's automatic error printing for the calling thread (the error stack is
// per thread in the thread-safe build); errors are then read with H5Ewalk2.
static inline herr_t exp_h5e_silence(void) { return H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
static inline unsigned exp_h5f_obj_all(void) { return H5F_OBJ_ALL; }

package web

func (s *Server) userRoutes() []Route { return nil }
